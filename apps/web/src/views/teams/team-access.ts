import { TEAM_ROLES, type Team, type TeamMember, type TeamRole } from '@modelyard/contracts';
import { isApiError } from '@/api/http';
import type { TeamFilters } from '@/api/teams';
import { translate } from '@/i18n';
import { describeError } from '@/i18n/describe-error';

/** What the signed-in user may do with a team: owners manage it and its members, admins act as owners of every team. */
export interface TeamAbilities {
  /** Rename, edit the description, delete the team. */
  manageTeam: boolean;
  /** Add members, change roles, remove members. */
  manageMembers: boolean;
  /** Leave the team (only a member can). */
  leave: boolean;
}

export function teamAbilities(myRole: TeamRole | null, isAdmin: boolean): TeamAbilities {
  const owner = myRole === 'owner' || isAdmin;
  return { manageTeam: owner, manageMembers: owner, leave: myRole !== null };
}

export interface MemberActions {
  /** The role select is enabled. Changing one's own role is allowed; the server refuses to drop the last owner. */
  changeRole: boolean;
  /** "Remove" on the row; one's own row offers "Leave" instead. */
  remove: boolean;
  leave: boolean;
}

export function memberActions(member: TeamMember, selfId: string | null, abilities: TeamAbilities): MemberActions {
  const self = member.userId === selfId;
  return {
    changeRole: abilities.manageMembers,
    remove: abilities.manageMembers && !self,
    leave: self && abilities.leave,
  };
}

export const ownerCount = (members: readonly TeamMember[]) => members.filter((m) => m.role === 'owner').length;

/** The only owner: demoting or removing them would leave the team unmanaged (the server answers TEAM_LAST_OWNER). */
export const isLastOwner = (member: TeamMember, members: readonly TeamMember[]) =>
  member.role === 'owner' && ownerCount(members) === 1;

/** Members in a stable, useful order: owners, then editors, then viewers; by nickname within a role. */
export function sortMembers(members: readonly TeamMember[], locale?: string): TeamMember[] {
  const rank = (role: TeamRole) => TEAM_ROLES.indexOf(role);
  return [...members].sort(
    (a, b) => rank(a.role) - rank(b.role) || a.nickname.localeCompare(b.nickname, locale, { sensitivity: 'base' }),
  );
}

export const ROLE_OPTIONS: readonly { value: TeamRole; labelKey: string; helpKey: string }[] = TEAM_ROLES.map(
  (role) => ({ value: role, labelKey: `teams.roles.${role}`, helpKey: `teams.roleHelp.${role}` }),
);

export interface TeamListFilters {
  search: string;
  /** Admins: every team, not only their own. */
  all: boolean;
}

export const emptyTeamFilters = (): TeamListFilters => ({ search: '', all: false });

/** The list's filters as GET /api/teams query parameters; `all` is only sent when an admin asks for it. */
export function toTeamQuery(
  filters: TeamListFilters & { page: number; pageSize: number },
  isAdmin: boolean,
): TeamFilters {
  return {
    search: filters.search.trim() || undefined,
    all: isAdmin && filters.all ? true : undefined,
    page: filters.page,
    pageSize: filters.pageSize,
  };
}

/** The role tag of a team row: admins looking at someone else's team are not members. */
export const myRoleKey = (team: Pick<Team, 'myRole'>) =>
  team.myRole ? `teams.roles.${team.myRole}` : 'teams.list.notMember';

/** Error codes of the teams API with their own wording in the `teams.errors` messages. */
export const TEAM_ERROR_CODES = [
  'TEAM_NAME_TAKEN',
  'TEAM_LAST_OWNER',
  'TEAM_MEMBER_EXISTS',
  'TEAM_USER_NOT_FOUND',
  'TEAM_FORBIDDEN',
  'TEAM_NOT_FOUND',
] as const;

export function teamErrorKey(code: string | undefined): string | null {
  return code && (TEAM_ERROR_CODES as readonly string[]).includes(code) ? `teams.errors.${code}` : null;
}

/** The message for a failed teams call: our wording for the teams codes, else the app's usual one. */
export function describeTeamError(error: unknown): string {
  const key = isApiError(error) ? teamErrorKey(error.code) : null;
  return key ? translate(key) : describeError(error);
}
