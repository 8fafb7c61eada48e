import { z } from 'zod';
import { RoleSchema, UserSchema } from './auth';
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

/** One page of a list answer, as every paged route gives it. */
const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });

export const AdminUserPageSchema = pageOf(UserSchema);

export const AuditLogEntrySchema = z.object({
  id: z.uuid(),
  actorId: z.uuid().nullable(),
  actorEmail: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  /** The target by name as it is now (a user's email; a team's, prompt's, provider's or model config's name). */
  targetLabel: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  ip: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type AuditLogEntry = z.infer<typeof AuditLogEntrySchema>;
export const AuditLogPageSchema = pageOf(AuditLogEntrySchema);

export const PublicSettingsSchema = z.object({ registrationOpen: z.boolean() });
export type PublicSettings = z.infer<typeof PublicSettingsSchema>;
