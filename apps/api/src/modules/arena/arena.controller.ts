import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  ArenaModelListSchema,
  BattleSchema,
  CreateBattleSchema,
  LeaderboardQuerySchema,
  LeaderboardSchema,
  SetArenaModelsSchema,
  VoteResultSchema,
  VoteSchema,
} from '@modelyard/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createZodDto } from 'nestjs-zod';
import { type AuthUser, CurrentUser, ReqMeta, type RequestMeta, RequireRole } from '../../common/auth/auth.decorators';
import { SseStream } from '../../common/sse/sse-stream';
import { eventJson } from '../chat/generation-events.repository';
import { GenerationsService } from '../chat/generations.service';
import { ArenaService, SIDE_LABELS } from './arena.service';

class SetArenaModelsDto extends createZodDto(SetArenaModelsSchema) {}
class CreateBattleDto extends createZodDto(CreateBattleSchema) {}
class VoteDto extends createZodDto(VoteSchema) {}
class LeaderboardQueryDto extends createZodDto(LeaderboardQuerySchema) {}
class ArenaModelListDto extends createZodDto(ArenaModelListSchema) {}
class BattleDto extends createZodDto(BattleSchema) {}
class VoteResultDto extends createZodDto(VoteResultSchema) {}
class LeaderboardDto extends createZodDto(LeaderboardSchema) {}

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

@ApiTags('arena')
@ApiBearerAuth()
@Controller('arena')
export class ArenaController {
  constructor(
    private readonly arena: ArenaService,
    private readonly generations: GenerationsService,
  ) {}

  @Get('models')
  @ApiOkResponse({ type: ArenaModelListDto })
  models() {
    return this.arena.models();
  }

  /** The shared model configs enrolled in the arena (replaces the list). */
  @Put('models')
  @RequireRole('admin')
  @ApiOkResponse({ type: ArenaModelListDto })
  setModels(@CurrentUser() user: AuthUser, @Body() body: SetArenaModelsDto, @ReqMeta() meta: RequestMeta) {
    return this.arena.setModels(user, body.modelConfigIds, meta);
  }

  /**
   * Starts a battle between two enrolled models drawn at random, as an SSE stream: `meta { battleId }`, then the
   * two anonymous columns (0 = "Model A", 1 = "Model B"). Nothing in the stream names a model before the vote.
   */
  @Post('battles')
  @ApiProduces('text/event-stream', 'application/json')
  async start(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateBattleDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const battle = await this.arena.startBattle(user, body.prompt);
    if (!(request.headers.accept ?? '').includes('text/event-stream')) {
      await reply.code(202).send({ battleId: battle.battleId });
      return;
    }
    const sse = new SseStream(request, reply);
    let nextId = 1;
    sse.sendJson(nextId++, 'meta', JSON.stringify({ battleId: battle.battleId }));
    let open = battle.starts.length;
    const sideEnded = () => {
      if (--open === 0) sse.end();
    };
    const detachers: (() => void)[] = [];
    for (const start of battle.starts) {
      const label = SIDE_LABELS[start.column]!;
      if ('error' in start) {
        sse.sendJson(nextId++, 'error', JSON.stringify({ column: start.column, ...start.error }));
        sideEnded();
        continue;
      }
      const prefix = `{"column":${start.column}`;
      const detach = await this.generations.attach(
        start.started.generationId,
        start.started.assistantMessage,
        0,
        (event) => {
          let json: string;
          // The generation's own meta and error texts would name the model or its provider: send neutral ones.
          if (event.event === 'meta') json = JSON.stringify({ column: start.column, label });
          else if (event.event === 'error') {
            const code = (JSON.parse(eventJson(event)) as { code?: string }).code ?? 'GENERATION_FAILED';
            json = JSON.stringify({ column: start.column, code, message: `${label} could not finish its answer` });
          } else {
            const data = eventJson(event);
            json = data === '{}' ? `${prefix}}` : `${prefix},${data.slice(1)}`;
          }
          sse.sendJson(nextId++, event.event, json);
          if (event.event === 'done' || event.event === 'error') sideEnded();
        },
      );
      detachers.push(detach);
    }
    sse.onClose(() => detachers.forEach((detach) => detach()));
  }

  /** The battle as its voter sees it: anonymous until voted, revealed after. */
  @Get('battles/:id')
  @ApiOkResponse({ type: BattleDto })
  battle(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.arena.battle(user, id);
  }

  @Post('battles/:id/stop')
  @HttpCode(202)
  async stop(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    await this.arena.stop(user, id);
    return { stopping: true };
  }

  /** One vote per battle; the answer reveals both models. */
  @Post('battles/:id/vote')
  @HttpCode(200)
  @ApiOkResponse({ type: VoteResultDto })
  vote(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: VoteDto) {
    return this.arena.vote(user, id, body.winner);
  }

  /** Elo (K = 4, scale 400, from 1000) and Bradley–Terry with 95% bootstrap intervals, over votes in the range. */
  @Get('leaderboard')
  @ApiOkResponse({ type: LeaderboardDto })
  leaderboard(@Query() query: LeaderboardQueryDto) {
    return this.arena.leaderboard(query);
  }

  @Get('excluded-users')
  @RequireRole('admin')
  excluded() {
    return this.arena.excludedUsers();
  }

  /** Leaves a user's votes out of the leaderboard. */
  @Put('excluded-users/:userId')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  async exclude(@CurrentUser() user: AuthUser, @Param('userId', uuid) userId: string, @ReqMeta() meta: RequestMeta) {
    await this.arena.setExcluded(user, userId, true, meta);
  }

  @Delete('excluded-users/:userId')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  async include(@CurrentUser() user: AuthUser, @Param('userId', uuid) userId: string, @ReqMeta() meta: RequestMeta) {
    await this.arena.setExcluded(user, userId, false, meta);
  }
}
