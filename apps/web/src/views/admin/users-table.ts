import type { Role, User } from '@modelyard/contracts';
import type { AdminUserFilters } from '@/api/admin';

export type StatusFilter = '' | 'active' | 'disabled';

export interface UserListFilters {
  search: string;
  role: Role | '';
  status: StatusFilter;
}

export const emptyUserFilters = (): UserListFilters => ({ search: '', role: '', status: '' });

export const ROLE_OPTIONS: { value: Role; labelKey: string }[] = [
  { value: 'user', labelKey: 'roles.user' },
  { value: 'admin', labelKey: 'roles.admin' },
];

export const STATUS_OPTIONS: { value: Exclude<StatusFilter, ''>; labelKey: string }[] = [
  { value: 'active', labelKey: 'admin.users.active' },
  { value: 'disabled', labelKey: 'admin.users.disabled' },
];

/** The form's filters as GET /api/admin/users query parameters ("all" is simply left out). */
export function toUserQuery(filters: UserListFilters & { page: number; pageSize: number }): AdminUserFilters {
  return {
    search: filters.search.trim() || undefined,
    role: filters.role || undefined,
    isActive: filters.status === '' ? undefined : filters.status === 'active',
    page: filters.page,
    pageSize: filters.pageSize,
  };
}

export type UserColumnKey = 'user' | 'role' | 'status' | 'createdAt' | 'lastLoginAt' | 'actions';

export interface UserColumn {
  key: UserColumnKey;
  labelKey: string;
  width?: number;
  minWidth?: number;
  fixed?: 'right';
}

export const USER_COLUMNS: UserColumn[] = [
  { key: 'user', labelKey: 'admin.users.columns.user', minWidth: 220 },
  { key: 'role', labelKey: 'admin.users.columns.role', width: 110 },
  { key: 'status', labelKey: 'admin.users.columns.status', width: 100 },
  { key: 'createdAt', labelKey: 'admin.users.columns.createdAt', minWidth: 150 },
  { key: 'lastLoginAt', labelKey: 'admin.users.columns.lastLoginAt', minWidth: 150 },
  { key: 'actions', labelKey: 'admin.users.columns.actions', width: 220, fixed: 'right' },
];

export type UserAction = 'role' | 'active';

/** What a row action would change, and how to ask before doing it. */
export function describeUserAction(user: User, action: UserAction) {
  if (action === 'role') {
    const makeAdmin = user.role !== 'admin';
    return {
      patch: { role: makeAdmin ? 'admin' : 'user' } as const,
      labelKey: makeAdmin ? 'admin.users.actions.makeAdmin' : 'admin.users.actions.makeUser',
      confirmKey: makeAdmin ? 'admin.users.confirm.makeAdmin' : 'admin.users.confirm.makeUser',
      danger: !makeAdmin,
    };
  }
  return {
    patch: { isActive: !user.isActive },
    labelKey: user.isActive ? 'admin.users.actions.disable' : 'admin.users.actions.enable',
    confirmKey: user.isActive ? 'admin.users.confirm.disable' : 'admin.users.confirm.enable',
    danger: user.isActive,
  };
}
