import type { PromptVisibility, Role, TeamRole } from '@modelyard/contracts';

export interface PromptAccessSubject {
  ownerId: string;
  visibility: PromptVisibility;
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
 */
export function promptAccess(
  prompt: PromptAccessSubject,
  user: { id: string; role: Role },
  teamRole: TeamRole | null,
): PromptAccess {
  if (user.role === 'admin' || prompt.ownerId === user.id) return ALL;
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
