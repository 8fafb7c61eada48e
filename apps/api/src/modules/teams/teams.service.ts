import { Injectable } from '@nestjs/common';
import type {
  AddTeamMemberInput,
  CreateTeamInput,
  Paginated,
  Team,
  TeamDetail,
  TeamMember,
  TeamQuery,
  TeamRole,
  UpdateTeamInput,
} from '@modelyard/contracts';
import type { AuthUser, RequestMeta } from '../../common/auth/auth.decorators';
import { paginated } from '../../common/pagination';
import { AuditService } from '../audit/audit.service';
import { UsersRepository } from '../users/users.repository';
import { TeamsErrorCode, teamsError } from './teams.errors';
import { type TeamMemberRow, type TeamRow, TeamsRepository } from './teams.repository';

/** Teams: any user creates one and owns it; owners (and admins) manage it; members see it; others get 404. */
@Injectable()
export class TeamsService {
  constructor(
    private readonly teams: TeamsRepository,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  async list(user: AuthUser, query: TeamQuery): Promise<Paginated<Team>> {
    const [rows, total] = await this.teams.list(user.id, {
      all: user.role === 'admin' && query.all === true,
      search: query.search,
      page: query.page,
      pageSize: query.pageSize,
    });
    return paginated(rows.map(toTeam), total, query.page, query.pageSize);
  }

  async get(user: AuthUser, teamId: string): Promise<TeamDetail> {
    const team = await this.visible(user, teamId);
    return { ...toTeam(team), members: (await this.teams.members(teamId)).map(toMember) };
  }

  async create(user: AuthUser, input: CreateTeamInput, meta?: RequestMeta): Promise<Team> {
    await this.assertNameFree(input.name);
    const id = await this.teams.create({ name: input.name, description: input.description ?? '', ownerId: user.id });
    await this.audit.record({ actorId: user.id, action: 'team.create', targetType: 'team', targetId: id, meta });
    return toTeam((await this.teams.find(id, user.id))!);
  }

  async update(user: AuthUser, teamId: string, input: UpdateTeamInput, meta?: RequestMeta): Promise<Team> {
    const team = await this.manageable(user, teamId);
    if (input.name !== undefined && input.name.toLowerCase() !== team.name.toLowerCase())
      await this.assertNameFree(input.name, teamId);
    await this.teams.update(teamId, input);
    const before = { name: team.name, description: team.description };
    const after = { name: input.name ?? team.name, description: input.description ?? team.description };
    if (before.name !== after.name || before.description !== after.description) {
      await this.audit.record({
        actorId: user.id,
        action: 'team.update',
        targetType: 'team',
        targetId: teamId,
        before,
        after,
        meta,
      });
    }
    return toTeam((await this.teams.find(teamId, user.id))!);
  }

  async remove(user: AuthUser, teamId: string, meta?: RequestMeta): Promise<void> {
    const team = await this.manageable(user, teamId);
    await this.teams.delete(teamId);
    await this.audit.record({
      actorId: user.id,
      action: 'team.delete',
      targetType: 'team',
      targetId: teamId,
      before: { name: team.name },
      meta,
    });
  }

  async addMember(user: AuthUser, teamId: string, input: AddTeamMemberInput, meta?: RequestMeta): Promise<TeamMember> {
    await this.manageable(user, teamId);
    const target = input.userId
      ? await this.users.findById(input.userId)
      : await this.users.findByEmail(input.email ?? '');
    if (!target || !target.isActive) {
      throw teamsError(TeamsErrorCode.UserNotFound, 'No active user with that id or e-mail address', [
        { path: [input.userId ? 'userId' : 'email'], message: 'no such user' },
      ]);
    }
    if (!(await this.teams.addMember(teamId, target.id, input.role))) {
      throw teamsError(TeamsErrorCode.MemberExists, `${target.nickname} is already a member of this team`);
    }
    await this.audit.record({
      actorId: user.id,
      action: 'team.member_add',
      targetType: 'team',
      targetId: teamId,
      after: { userId: target.id, role: input.role },
      meta,
    });
    return toMember((await this.teams.member(teamId, target.id))!);
  }

  async updateMember(
    user: AuthUser,
    teamId: string,
    userId: string,
    role: TeamRole,
    meta?: RequestMeta,
  ): Promise<TeamMember> {
    await this.manageable(user, teamId);
    const previous = await this.existingMember(teamId, userId);
    if (!(await this.teams.changeMember(teamId, userId, role))) throw lastOwner();
    if (previous !== role) {
      await this.audit.record({
        actorId: user.id,
        action: 'team.member_role',
        targetType: 'team',
        targetId: teamId,
        before: { userId, role: previous },
        after: { userId, role },
        meta,
      });
    }
    return toMember((await this.teams.member(teamId, userId))!);
  }

  /** Owners remove anyone; every member may remove themselves (leave the team). */
  async removeMember(user: AuthUser, teamId: string, userId: string, meta?: RequestMeta): Promise<void> {
    if (userId === user.id) await this.visible(user, teamId);
    else await this.manageable(user, teamId);
    await this.existingMember(teamId, userId);
    if (!(await this.teams.changeMember(teamId, userId, null))) throw lastOwner();
    await this.audit.record({
      actorId: user.id,
      action: userId === user.id ? 'team.leave' : 'team.member_remove',
      targetType: 'team',
      targetId: teamId,
      before: { userId },
      meta,
    });
  }

  private async visible(user: AuthUser, teamId: string): Promise<TeamRow> {
    const team = await this.teams.find(teamId, user.id);
    if (!team || (team.myRole === null && user.role !== 'admin'))
      throw teamsError(TeamsErrorCode.TeamNotFound, 'Team not found');
    return team;
  }

  private async manageable(user: AuthUser, teamId: string): Promise<TeamRow> {
    const team = await this.visible(user, teamId);
    if (team.myRole !== 'owner' && user.role !== 'admin') {
      throw teamsError(TeamsErrorCode.Forbidden, 'Only the team’s owners can do this');
    }
    return team;
  }

  /** The member's role; 404 when they are not one. */
  private async existingMember(teamId: string, userId: string): Promise<TeamRole> {
    const role = await this.teams.roleOf(teamId, userId);
    if (!role) throw teamsError(TeamsErrorCode.MemberNotFound, 'That user is not a member of this team');
    return role;
  }

  private async assertNameFree(name: string, exceptId?: string): Promise<void> {
    if (await this.teams.nameTaken(name, exceptId)) {
      throw teamsError(TeamsErrorCode.NameTaken, `A team named “${name}” already exists`, [
        { path: ['name'], message: 'is already taken' },
      ]);
    }
  }
}

function lastOwner() {
  return teamsError(TeamsErrorCode.LastOwner, 'A team needs at least one owner: make someone else owner first');
}

function toTeam(row: TeamRow): Team {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    memberCount: row.memberCount,
    promptCount: row.promptCount,
    myRole: row.myRole,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function toMember(row: TeamMemberRow): TeamMember {
  return {
    userId: row.userId,
    nickname: row.nickname,
    email: row.email,
    role: row.role,
    joinedAt: row.joinedAt.toISOString(),
  };
}
