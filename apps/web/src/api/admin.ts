import type { AdminUpdateUserInput, AuditLogEntry, Paginated, Role, User } from '@modelyard/contracts';
import { http } from './http';

export interface AdminUserFilters {
  search?: string;
  role?: Role;
  isActive?: boolean;
  page: number;
  pageSize: number;
}

export interface AuditLogFilters {
  action?: string;
  page: number;
  pageSize: number;
}

export const adminApi = {
  listUsers: (filters: AdminUserFilters) => http.get<Paginated<User>>('/admin/users', { query: { ...filters } }),
  updateUser: (id: string, input: AdminUpdateUserInput) =>
    http.patch<User>(`/admin/users/${encodeURIComponent(id)}`, input),
  listAuditLogs: (filters: AuditLogFilters) =>
    http.get<Paginated<AuditLogEntry>>('/admin/audit-logs', { query: { ...filters } }),
};
