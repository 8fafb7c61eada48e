import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiEventStreamOrStarted } from '../../common/openapi/stream-responses';
import {
  COMPARE_MAX_COLUMNS,
  CompareExportQuerySchema,
  CompareFollowUpSchema,
  CompareRunPageSchema,
  CompareRunQuerySchema,
  CompareRunSchema,
  CreateCompareRunSchema,
  RateCompareAnswerSchema,
} from '@modelyard/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { type AuthUser, CurrentUser } from '../../common/auth/auth.decorators';
import { sendDownload } from '../../common/http/download';
import { ApiGenerationLimit } from '../../common/openapi/error-responses';
import { createZodDto } from '../../common/openapi/zod-dto';
import { SseStream, wantsEventStream } from '../../common/sse/sse-stream';
import { streamColumns } from '../chat/column-stream';
import { GenerationsService } from '../chat/generations.service';
import { renderCompareExport } from './compare-export';
import { CompareService, type StartedCompare } from './compare.service';
import { idParam } from '../../common/http/id-param';
import { ApiFileResponse, ApiObjectResponse, ApiStoppingResponse } from '../../common/openapi/plain-responses';

class CreateCompareRunDto extends createZodDto(CreateCompareRunSchema) {}
class CompareFollowUpDto extends createZodDto(CompareFollowUpSchema) {}
class CompareRunQueryDto extends createZodDto(CompareRunQuerySchema) {}
class RateCompareAnswerDto extends createZodDto(RateCompareAnswerSchema) {}
class CompareExportQueryDto extends createZodDto(CompareExportQuerySchema) {}
class StopCompareDto extends createZodDto(
  z.object({
    column: z
      .number()
      .int()
      .min(0)
      .max(COMPARE_MAX_COLUMNS - 1)
      .optional(),
  }),
) {}
class CompareRunDto extends createZodDto(CompareRunSchema) {}
class CompareRunPageDto extends createZodDto(CompareRunPageSchema) {}

const RUN_STREAM =
  "`meta { runId, columns }`, then every column's generation events (meta, reasoning, content, reclassify, usage, done | error) with `column` in their data";
const RUN_STARTED = {
  description: "the run and each column's generation, to follow with GET /api/chat/generations/:id/events",
  properties: {
    runId: { type: 'string', format: 'uuid' },
    columns: { type: 'array', items: { type: 'object' } },
    generations: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          column: { type: 'integer' },
          generationId: { type: 'string', format: 'uuid' },
          error: { type: 'object' },
        },
      },
    },
  },
};

@ApiTags('compare')
@ApiBearerAuth()
@Controller('compare/runs')
export class CompareController {
  constructor(
    private readonly compare: CompareService,
    private readonly generations: GenerationsService,
  ) {}

  /**
   * Sends one prompt to 2–6 model configs at once. The answer is one SSE stream: `meta { runId, columns }`, then
   * every column's generation events with `column` added to their data. With `Accept: application/json` only: 202
   * with the run id and each column's generation id.
   */
  @Post()
  @ApiGenerationLimit()
  @ApiEventStreamOrStarted(RUN_STREAM, RUN_STARTED, 'stream')
  async create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateCompareRunDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.answer(await this.compare.start(user, body), request, reply);
  }

  @Get()
  @ApiOkResponse({ type: CompareRunPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: CompareRunQueryDto) {
    return this.compare.list(user, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: CompareRunDto })
  get(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.compare.get(user, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    await this.compare.remove(user, id);
  }

  /** A follow-up turn, streamed like the first one; each column continues its own conversation. */
  @Post(':id/messages')
  @ApiGenerationLimit()
  @ApiEventStreamOrStarted(RUN_STREAM, RUN_STARTED, 'stream')
  async followUp(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Body() body: CompareFollowUpDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.answer(await this.compare.followUp(user, id, body.content), request, reply);
  }

  /** Stops one column (`{ column }`) or all of them; what each had written is kept as `stopped`. */
  @Post(':id/stop')
  @HttpCode(202)
  @ApiStoppingResponse()
  async stop(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string, @Body() body: StopCompareDto) {
    return { stopping: await this.compare.stop(user, id, body?.column) };
  }

  /** 1–5 stars and an optional note for a column's answer (its latest unless `messageId` says which). */
  @Post(':id/ratings')
  @HttpCode(200)
  @ApiObjectResponse('The rating as saved', {
    column: { type: 'integer' },
    messageId: { type: 'string', format: 'uuid' },
    stars: { type: 'integer', minimum: 1, maximum: 5 },
    note: { type: 'string', nullable: true },
  })
  rate(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string, @Body() body: RateCompareAnswerDto) {
    return this.compare.rate(user, id, body);
  }

  @Get(':id/export')
  @ApiFileResponse('The run as a file (an attachment)', 'text/markdown', 'application/json', 'text/csv')
  async export(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Query() query: CompareExportQueryDto,
    @Res() reply: FastifyReply,
  ) {
    const file = renderCompareExport(await this.compare.get(user, id), query.format);
    await sendDownload(reply, file);
  }

  /** Multiplexes the columns' generations onto one SSE stream; it ends when every column has ended. */
  private async answer(run: StartedCompare, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!wantsEventStream(request, 'stream')) {
      await reply.code(202).send({
        runId: run.runId,
        columns: run.columns,
        generations: run.starts.map((s) =>
          'started' in s
            ? { column: s.column, generationId: s.started.generationId }
            : { column: s.column, error: s.error },
        ),
      });
      return;
    }
    await streamColumns(
      new SseStream(request, reply),
      this.generations,
      { runId: run.runId, columns: run.columns },
      run.starts,
    );
  }
}
