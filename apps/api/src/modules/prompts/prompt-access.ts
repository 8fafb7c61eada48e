import type { PromptVisibility, Role, TeamRole } from '@modelyard/contracts';

export interface PromptAccessSubject {
  ownerId: string;
  visibility: PromptVisibility;
  /** Marked official by an administrator (always public). */
  official?: boolean;
}

export interface PromptAccess {
  read: boolean;
  edit: boolean;
  delete: boolean;
  /** Change visibility or team (and, for admins, the official flag). */
  share: boolean;
}

const NONE: PromptAccess = { read: false, edit: false, delete: false, share: false };
const ALL: PromptAccess = { read: true, edit: true, delete: true, share: true };

/**
 * What a user may do with a prompt. `teamRole` is the user's role in the prompt's team (null when not a member or
 * the prompt has no team). Private: owner only. Team: members read, editors and owners edit, owners delete.
 * Public: everyone reads, only the owner edits. Admins may do everything. Sharing stays with the prompt's owner.
 * Official prompts speak for the administrators: only an admin changes one, its owner included once no longer an
 * admin (a demoted admin could otherwise rewrite what everyone trusts as official).
 */
export function promptAccess(
  prompt: PromptAccessSubject,
  user: { id: string; role: Role },
  teamRole: TeamRole | null,
): PromptAccess {
  if (user.role === 'admin') return ALL;
  if (prompt.official) return { ...NONE, read: true };
  if (prompt.ownerId === user.id) return ALL;
  switch (prompt.visibility) {
    case 'private':
      return NONE;
    case 'public':
      return { ...NONE, read: true };
    case 'team':
      if (teamRole === null) return NONE;
      return { read: true, edit: teamRole !== 'viewer', delete: teamRole === 'owner', share: false };
  }
}
