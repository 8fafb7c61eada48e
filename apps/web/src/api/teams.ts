import type {
  CreateTeamInput,
  Paginated,
  Team,
  TeamDetail,
  TeamMember,
  TeamRole,
  UpdateTeamInput,
  UserDirectoryEntry,
} from '@modelyard/contracts';
import { http, type RequestOptions } from './http';

type CallOptions = Pick<RequestOptions, 'silent' | 'signal'>;

export interface TeamFilters {
  search?: string;
  /** Admins: every team, not only their own. */
  all?: boolean;
  page: number;
  pageSize: number;
}

const id = (value: string) => encodeURIComponent(value);

export const teamsApi = {
  list: (filters: TeamFilters, opts?: CallOptions) =>
    http.get<Paginated<Team>>('/teams', { ...opts, query: { ...filters } }),
  get: (teamId: string, opts?: CallOptions) => http.get<TeamDetail>(`/teams/${id(teamId)}`, opts),
  create: (input: CreateTeamInput, opts?: CallOptions) => http.post<Team>('/teams', input, opts),
  update: (teamId: string, input: UpdateTeamInput, opts?: CallOptions) =>
    http.patch<Team>(`/teams/${id(teamId)}`, input, opts),
  remove: (teamId: string, opts?: CallOptions) => http.delete<void>(`/teams/${id(teamId)}`, opts),
  addMember: (teamId: string, member: { userId?: string; email?: string; role: TeamRole }, opts?: CallOptions) =>
    http.post<TeamMember>(`/teams/${id(teamId)}/members`, member, opts),
  updateMember: (teamId: string, userId: string, role: TeamRole, opts?: CallOptions) =>
    http.patch<TeamMember>(`/teams/${id(teamId)}/members/${id(userId)}`, { role }, opts),
  /** Removes a member; a member may also remove themselves (leave). */
  removeMember: (teamId: string, userId: string, opts?: CallOptions) =>
    http.delete<void>(`/teams/${id(teamId)}/members/${id(userId)}`, opts),
  /** Active users matching a name or e-mail (at least two characters), to add to a team. */
  directory: (search: string, opts?: CallOptions) =>
    http.get<{ items: UserDirectoryEntry[] }>('/users/directory', { ...opts, query: { search } }),
};
