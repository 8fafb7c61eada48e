import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiEventStreamOrStarted } from '../../common/openapi/stream-responses';
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
import { type AuthUser, CurrentUser, ReqMeta, type RequestMeta, RequireRole } from '../../common/auth/auth.decorators';
import { ApiGenerationLimit } from '../../common/openapi/error-responses';
import { createZodDto } from '../../common/openapi/zod-dto';
import { SseStream, wantsEventStream } from '../../common/sse/sse-stream';
import { streamColumns } from '../chat/column-stream';
import { eventJson } from '../chat/generation-events.repository';
import { GenerationsService } from '../chat/generations.service';
import { ArenaService, SIDE_LABELS } from './arena.service';
import { idParam } from '../../common/http/id-param';
import { ApiObjectResponse, ApiStoppingResponse } from '../../common/openapi/plain-responses';

class SetArenaModelsDto extends createZodDto(SetArenaModelsSchema) {}
class CreateBattleDto extends createZodDto(CreateBattleSchema) {}
class VoteDto extends createZodDto(VoteSchema) {}
class LeaderboardQueryDto extends createZodDto(LeaderboardQuerySchema) {}
class ArenaModelListDto extends createZodDto(ArenaModelListSchema) {}
class BattleDto extends createZodDto(BattleSchema) {}
class VoteResultDto extends createZodDto(VoteResultSchema) {}
class LeaderboardDto extends createZodDto(LeaderboardSchema) {}

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
  @ApiGenerationLimit()
  @ApiEventStreamOrStarted(
    "`meta { battleId }`, then the two anonymous columns' generation events with `column` (0 = Model A, 1 = Model B)",
    { description: 'the battle id', properties: { battleId: { type: 'string', format: 'uuid' } } },
    'stream',
  )
  async start(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateBattleDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const battle = await this.arena.startBattle(user, body.prompt);
    if (!wantsEventStream(request, 'stream')) {
      await reply.code(202).send({ battleId: battle.battleId });
      return;
    }
    await streamColumns(
      new SseStream(request, reply),
      this.generations,
      { battleId: battle.battleId },
      battle.starts,
      (column, event) => {
        const label = SIDE_LABELS[column]!;
        switch (event.event) {
          // The generation's own meta and error texts would name the model or its provider: send neutral ones.
          case 'meta':
            return JSON.stringify({ column, label });
          case 'error': {
            const code = (JSON.parse(eventJson(event)) as { code?: string }).code ?? 'GENERATION_FAILED';
            return JSON.stringify({ column, code, message: `${label} could not finish its answer` });
          }
          // A thinking, how long it took, or the tokens it cost (usage counts them with the answer's) tells a
          // reasoning model apart: only the answers are compared.
          case 'reasoning':
          case 'usage':
            return null;
          // Only one side's first answer text would carry a time to first token (a thinker's came with its thinking).
          case 'content':
            return event.data.reasoningMs === undefined && event.data.ttftMs === undefined
              ? undefined
              : JSON.stringify({ column, text: event.data.text });
          case 'reclassify':
            return JSON.stringify({ column, reasoning: '', content: event.data.content });
          case 'done':
            return JSON.stringify({ column, ...event.data, reasoningMs: null });
          default:
            return undefined;
        }
      },
    );
  }

  /** The battle as its voter sees it: anonymous until voted, revealed after. */
  @Get('battles/:id')
  @ApiOkResponse({ type: BattleDto })
  battle(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.arena.battle(user, id);
  }

  @Post('battles/:id/stop')
  @HttpCode(202)
  @ApiStoppingResponse()
  async stop(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return { stopping: await this.arena.stop(user, id) };
  }

  /** One vote per battle; the answer reveals both models. */
  @Post('battles/:id/vote')
  @HttpCode(200)
  @ApiOkResponse({ type: VoteResultDto })
  vote(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string, @Body() body: VoteDto) {
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
  @ApiObjectResponse('Users whose votes the leaderboard leaves out', {
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          userId: { type: 'string', format: 'uuid' },
          email: { type: 'string' },
          nickname: { type: 'string' },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
    },
  })
  excluded() {
    return this.arena.excludedUsers();
  }

  /** Leaves a user's votes out of the leaderboard. */
  @Put('excluded-users/:userId')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  async exclude(@CurrentUser() user: AuthUser, @Param('userId', idParam) userId: string, @ReqMeta() meta: RequestMeta) {
    await this.arena.setExcluded(user, userId, true, meta);
  }

  @Delete('excluded-users/:userId')
  @RequireRole('admin')
  @HttpCode(204)
  @ApiNoContentResponse()
  async include(@CurrentUser() user: AuthUser, @Param('userId', idParam) userId: string, @ReqMeta() meta: RequestMeta) {
    await this.arena.setExcluded(user, userId, false, meta);
  }
}
