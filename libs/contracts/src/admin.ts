import { z } from 'zod';
import { RoleSchema } from './auth';
import { PaginationQuerySchema, QueryBooleanSchema } from './common';

export const AdminUserQuerySchema = PaginationQuerySchema.extend({
  search: z.string().trim().max(100).optional(),
  role: RoleSchema.optional(),
  isActive: QueryBooleanSchema.optional(),
});
export type AdminUserQuery = z.infer<typeof AdminUserQuerySchema>;

export const AdminUpdateUserSchema = z
  .strictObject({
    role: RoleSchema.optional(),
    isActive: z.boolean().optional(),
  })
  .refine((v) => v.role !== undefined || v.isActive !== undefined, {
    message: 'give role or isActive',
  });
export type AdminUpdateUserInput = z.infer<typeof AdminUpdateUserSchema>;

export const SettingsSchema = z.object({
  registrationOpen: z.boolean(),
});
export type Settings = z.infer<typeof SettingsSchema>;

export const UpdateSettingsSchema = SettingsSchema.partial();
export type UpdateSettingsInput = z.infer<typeof UpdateSettingsSchema>;

export const AuditLogQuerySchema = PaginationQuerySchema.extend({
  action: z.string().trim().max(64).optional(),
  actorId: z.uuid().optional(),
  targetId: z.uuid().optional(),
});
export type AuditLogQuery = z.infer<typeof AuditLogQuerySchema>;

export interface AuditLogEntry {
  id: string;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip: string | null;
  createdAt: string;
}

export interface PublicSettings {
  registrationOpen: boolean;
}
