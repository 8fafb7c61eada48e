import type { AuditLogEntry } from '@modelyard/contracts';
import type { AuditLogFilters } from '@/api/admin';

export interface AuditListFilters {
  action: string;
}

export const emptyAuditFilters = (): AuditListFilters => ({ action: '' });

export function toAuditQuery(filters: AuditListFilters & { page: number; pageSize: number }): AuditLogFilters {
  return { action: filters.action.trim() || undefined, page: filters.page, pageSize: filters.pageSize };
}

export type AuditColumnKey = 'createdAt' | 'actor' | 'action' | 'target' | 'before' | 'after' | 'ip';

export const AUDIT_COLUMNS: { key: AuditColumnKey; labelKey: string; width?: number; minWidth?: number }[] = [
  { key: 'createdAt', labelKey: 'admin.auditLogs.columns.createdAt', minWidth: 150 },
  { key: 'actor', labelKey: 'admin.auditLogs.columns.actor', minWidth: 170 },
  { key: 'action', labelKey: 'admin.auditLogs.columns.action', minWidth: 170 },
  { key: 'target', labelKey: 'admin.auditLogs.columns.target', minWidth: 150 },
  { key: 'before', labelKey: 'admin.auditLogs.columns.before', minWidth: 150 },
  { key: 'after', labelKey: 'admin.auditLogs.columns.after', minWidth: 150 },
  { key: 'ip', labelKey: 'admin.auditLogs.columns.ip', width: 110 },
];

/** "user · 3f2a9c1e…": enough of a UUID to tell rows apart without flooding the column. */
export function shortTarget(entry: Pick<AuditLogEntry, 'targetType' | 'targetId'>): string {
  if (!entry.targetId) return entry.targetType;
  const id = entry.targetId.length > 12 ? `${entry.targetId.slice(0, 8)}…` : entry.targetId;
  return `${entry.targetType} · ${id}`;
}
