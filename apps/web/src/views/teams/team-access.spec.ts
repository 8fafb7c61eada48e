import type { TeamMember } from '@modelyard/contracts';
import { describe, expect, it } from 'vitest';
import { ApiError } from '@/api/http';
import {
  describeTeamError,
  isLastOwner,
  memberActions,
  myRoleKey,
  sortMembers,
  teamAbilities,
  toTeamQuery,
} from './team-access';

const member = (userId: string, role: TeamMember['role'], nickname = userId): TeamMember => ({
  userId,
  nickname,
  email: `${nickname}@example.com`,
  role,
  joinedAt: '2026-01-01T00:00:00.000Z',
});

describe('team abilities', () => {
  it('owners and admins manage the team and its members; editors and viewers do not', () => {
    expect(teamAbilities('owner', false)).toEqual({ manageTeam: true, manageMembers: true, leave: true });
    expect(teamAbilities('editor', false)).toEqual({ manageTeam: false, manageMembers: false, leave: true });
    expect(teamAbilities('viewer', false)).toEqual({ manageTeam: false, manageMembers: false, leave: true });
    expect(teamAbilities('viewer', true)).toMatchObject({ manageTeam: true, manageMembers: true });
  });

  it('an admin who is not a member manages the team but cannot leave it', () => {
    expect(teamAbilities(null, true)).toEqual({ manageTeam: true, manageMembers: true, leave: false });
  });
});

describe('member actions', () => {
  const owner = teamAbilities('owner', false);
  const viewer = teamAbilities('viewer', false);

  it('an owner changes roles of everyone (own included) and removes others; their own row offers Leave', () => {
    expect(memberActions(member('a', 'owner'), 'a', owner)).toEqual({ changeRole: true, remove: false, leave: true });
    expect(memberActions(member('b', 'viewer'), 'a', owner)).toEqual({ changeRole: true, remove: true, leave: false });
  });

  it('a viewer only sees Leave on their own row', () => {
    expect(memberActions(member('a', 'viewer'), 'a', viewer)).toEqual({
      changeRole: false,
      remove: false,
      leave: true,
    });
    expect(memberActions(member('b', 'owner'), 'a', viewer)).toEqual({
      changeRole: false,
      remove: false,
      leave: false,
    });
  });

  it('knows the last owner', () => {
    const members = [member('a', 'owner'), member('b', 'editor')];
    expect(isLastOwner(members[0]!, members)).toBe(true);
    expect(isLastOwner(members[1]!, members)).toBe(false);
    expect(isLastOwner(members[0]!, [...members, member('c', 'owner')])).toBe(false);
  });

  it('sorts owners first, then editors, then viewers, by nickname within a role', () => {
    const sorted = sortMembers([
      member('1', 'viewer', 'zoe'),
      member('2', 'owner', 'yan'),
      member('3', 'viewer', 'Al'),
    ]);
    expect(sorted.map((m) => m.nickname)).toEqual(['yan', 'Al', 'zoe']);
  });
});

describe('team list query', () => {
  it('sends a trimmed search and `all` only for admins who asked for it', () => {
    const base = { search: '  ops ', all: true, page: 2, pageSize: 20 };
    expect(toTeamQuery(base, true)).toEqual({ search: 'ops', all: true, page: 2, pageSize: 20 });
    expect(toTeamQuery(base, false)).toEqual({ search: 'ops', all: undefined, page: 2, pageSize: 20 });
    expect(toTeamQuery({ ...base, search: ' ', all: false }, true).search).toBeUndefined();
  });

  it('labels a team the caller is not in', () => {
    expect(myRoleKey({ myRole: 'editor' })).toBe('teams.roles.editor');
    expect(myRoleKey({ myRole: null })).toBe('teams.list.notMember');
  });
});

describe('team errors', () => {
  it('words the teams codes itself and falls back to the server message', () => {
    const lastOwner = new ApiError({ status: 409, code: 'TEAM_LAST_OWNER', message: 'server says' });
    expect(describeTeamError(lastOwner)).toContain('at least one owner');
    const other = new ApiError({ status: 409, code: 'SOMETHING_ELSE', message: 'server says' });
    expect(describeTeamError(other)).toBe('server says');
  });
});
