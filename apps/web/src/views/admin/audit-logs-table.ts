import type { AuditLogEntry } from '@modelyard/contracts';
import type { AuditLogFilters } from '@/api/admin';

export interface AuditListFilters {
  action: string;
}

export const emptyAuditFilters = (): AuditListFilters => ({ action: '' });

/** Every action the platform records, so the filter can offer them by name (in the reader's language). */
export const AUDIT_ACTIONS = [
  'arena.exclude_user',
  'arena.include_user',
  'arena.models',
  'model_config.share',
  'model_config.unshare',
  'prompt.delete',
  'prompt.label_remove',
  'prompt.label_set',
  'prompt.restore',
  'prompt.share',
  'prompt.update',
  'provider.create',
  'provider.delete',
  'provider.update',
  'settings.updated',
  'team.create',
  'team.delete',
  'team.leave',
  'team.member_add',
  'team.member_remove',
  'team.member_role',
  'team.update',
  'user.bootstrap_created',
  'user.bootstrap_promoted',
  'user.disabled',
  'user.enabled',
  'user.role_changed',
] as const;

/** The i18n key naming an action in words ("user.role_changed" → …actionNames.user_role_changed). */
export const auditActionKey = (action: string) => `admin.auditLogs.actionNames.${action.replace(/\./g, '_')}`;

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
export function shortTarget(
  entry: Pick<AuditLogEntry, 'targetType' | 'targetId'> & Partial<Pick<AuditLogEntry, 'targetLabel'>>,
  typeLabel: string = entry.targetType,
): string {
  if (!entry.targetId) return typeLabel;
  // By name while it exists; a short id once it is gone (the full id is the cell's tooltip).
  if (entry.targetLabel) return `${typeLabel} · ${entry.targetLabel}`;
  const id = entry.targetId.length > 12 ? `${entry.targetId.slice(0, 8)}…` : entry.targetId;
  return `${typeLabel} · ${id}`;
}
