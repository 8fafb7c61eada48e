import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  AddTeamMemberSchema,
  CreateTeamSchema,
  TeamDetailSchema,
  TeamMemberSchema,
  TeamPageSchema,
  TeamQuerySchema,
  TeamSchema,
  UpdateTeamMemberSchema,
  UpdateTeamSchema,
} from '@modelyard/contracts';
import { type AuthUser, CurrentUser, ReqMeta, type RequestMeta } from '../../common/auth/auth.decorators';
import { TeamsService } from './teams.service';
import { idParam } from '../../common/http/id-param';
import { createZodDto } from '../../common/openapi/zod-dto';

class CreateTeamDto extends createZodDto(CreateTeamSchema) {}
class UpdateTeamDto extends createZodDto(UpdateTeamSchema) {}
class TeamQueryDto extends createZodDto(TeamQuerySchema) {}
class AddTeamMemberDto extends createZodDto(AddTeamMemberSchema) {}
class UpdateTeamMemberDto extends createZodDto(UpdateTeamMemberSchema) {}
class TeamDto extends createZodDto(TeamSchema) {}
class TeamDetailDto extends createZodDto(TeamDetailSchema) {}
class TeamPageDto extends createZodDto(TeamPageSchema) {}
class TeamMemberDto extends createZodDto(TeamMemberSchema) {}

@ApiTags('teams')
@ApiBearerAuth()
@Controller('teams')
export class TeamsController {
  constructor(private readonly teams: TeamsService) {}

  /** The caller's teams; admins may ask for every team with `all=true`. */
  @Get()
  @ApiOkResponse({ type: TeamPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: TeamQueryDto) {
    return this.teams.list(user, query);
  }

  /** Anyone may create a team and becomes its owner. */
  @Post()
  @ApiCreatedResponse({ type: TeamDto })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateTeamDto, @ReqMeta() meta: RequestMeta) {
    return this.teams.create(user, body, meta);
  }

  @Get(':id')
  @ApiOkResponse({ type: TeamDetailDto })
  get(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.teams.get(user, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: TeamDto })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Body() body: UpdateTeamDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.teams.update(user, id, body, meta);
  }

  /** The team's prompts go back to their owners as private prompts. */
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string, @ReqMeta() meta: RequestMeta) {
    await this.teams.remove(user, id, meta);
  }

  @Post(':id/members')
  @ApiCreatedResponse({ type: TeamMemberDto })
  addMember(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Body() body: AddTeamMemberDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.teams.addMember(user, id, body, meta);
  }

  @Patch(':id/members/:userId')
  @ApiOkResponse({ type: TeamMemberDto })
  updateMember(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Param('userId', idParam) userId: string,
    @Body() body: UpdateTeamMemberDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.teams.updateMember(user, id, userId, body.role, meta);
  }

  /** Owners remove members; a member removing themselves leaves the team. */
  @Delete(':id/members/:userId')
  @HttpCode(204)
  @ApiNoContentResponse()
  async removeMember(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Param('userId', idParam) userId: string,
    @ReqMeta() meta: RequestMeta,
  ) {
    await this.teams.removeMember(user, id, userId, meta);
  }
}
