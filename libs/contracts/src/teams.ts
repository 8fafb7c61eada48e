import { z } from 'zod';
import { PaginationQuerySchema, QueryBooleanSchema } from './common';

export const TEAM_ROLES = ['owner', 'editor', 'viewer'] as const;
export const TeamRoleSchema = z.enum(TEAM_ROLES);
export type TeamRole = z.infer<typeof TeamRoleSchema>;

const TeamNameSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64, 'must be at most 64 characters')
  .regex(/^[^\p{Cc}<>]*$/u, 'must not contain control characters or angle brackets');

export const CreateTeamSchema = z.object({
  name: TeamNameSchema,
  description: z.string().trim().max(500).optional(),
});
export type CreateTeamInput = z.infer<typeof CreateTeamSchema>;

export const UpdateTeamSchema = z
  .object({ name: TeamNameSchema.optional(), description: z.string().trim().max(500).optional() })
  .refine((v) => v.name !== undefined || v.description !== undefined, { message: 'give at least one field to change' });
export type UpdateTeamInput = z.infer<typeof UpdateTeamSchema>;

export const TeamQuerySchema = PaginationQuerySchema.extend({
  search: z.string().trim().max(100).optional(),
  /** Admins: every team, not only those they belong to. */
  all: QueryBooleanSchema.optional(),
});
export type TeamQuery = z.infer<typeof TeamQuerySchema>;

/** Add a member by id or, more conveniently in the UI, by e-mail address. */
export const AddTeamMemberSchema = z
  .object({
    userId: z.uuid().optional(),
    email: z.email().max(254).optional(),
    role: TeamRoleSchema.default('viewer'),
  })
  .refine((v) => (v.userId === undefined) !== (v.email === undefined), {
    message: 'give either userId or email',
    path: ['userId'],
  });
export type AddTeamMemberInput = z.infer<typeof AddTeamMemberSchema>;

export const UpdateTeamMemberSchema = z.object({ role: TeamRoleSchema });
export type UpdateTeamMemberInput = z.infer<typeof UpdateTeamMemberSchema>;

export const TeamMemberSchema = z.object({
  userId: z.uuid(),
  nickname: z.string(),
  email: z.string(),
  role: TeamRoleSchema,
  joinedAt: z.string(),
});
export type TeamMember = z.infer<typeof TeamMemberSchema>;

export const TeamSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  memberCount: z.number().int(),
  promptCount: z.number().int(),
  /** The caller's role; null when an admin looks at a team they are not in. */
  myRole: TeamRoleSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Team = z.infer<typeof TeamSchema>;

export const TeamDetailSchema = TeamSchema.extend({ members: z.array(TeamMemberSchema) });
export type TeamDetail = z.infer<typeof TeamDetailSchema>;

export const TeamPageSchema = z.object({
  items: z.array(TeamSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** People a team owner can add: looked up by name or e-mail, a few at a time. */
export const UserDirectoryQuerySchema = z.object({ search: z.string().trim().min(2).max(100) });
export const UserDirectoryEntrySchema = z.object({ id: z.uuid(), nickname: z.string(), email: z.string() });
export const UserDirectorySchema = z.object({ items: z.array(UserDirectoryEntrySchema) });
export type UserDirectoryEntry = z.infer<typeof UserDirectoryEntrySchema>;
