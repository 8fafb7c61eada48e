import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiEventStream } from '../../common/openapi/stream-responses';
import {
  BatchPageSchema,
  BatchQuerySchema,
  BatchReportQuerySchema,
  BatchSchema,
  CreateBatchFieldsSchema,
  isBatchFinished,
} from '@modelyard/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodValidationException } from 'nestjs-zod';
import { type AuthUser, CurrentUser } from '../../common/auth/auth.decorators';
import { sendDownload } from '../../common/http/download';
import { createZodDto } from '../../common/openapi/zod-dto';
import { SseStream } from '../../common/sse/sse-stream';
import { AppConfig } from '../../config/app-config';
import { renderBatchReport } from './batch-report';
import { CompareBatchesErrorCode, compareBatchesError } from './compare-batches.errors';
import { CompareBatchesService } from './compare-batches.service';
import { idParam } from '../../common/http/id-param';
import { ApiFileResponse } from '../../common/openapi/plain-responses';

class BatchQueryDto extends createZodDto(BatchQuerySchema) {}
class BatchReportQueryDto extends createZodDto(BatchReportQuerySchema) {}
class BatchDto extends createZodDto(BatchSchema) {}
class BatchPageDto extends createZodDto(BatchPageSchema) {}

@ApiTags('compare')
@ApiBearerAuth()
@Controller('compare/batches')
export class CompareBatchesController {
  constructor(
    private readonly batches: CompareBatchesService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * Multipart: `file` (TXT one question per line, CSV with `question` and optional `expected`, or JSONL), repeated
   * `modelConfigIds` (1–6), `concurrency` (1–32, default 4), optional `name`. Queues the job: 202 `{ id }`.
   */
  @Post()
  @HttpCode(202)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'modelConfigIds'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'TXT (one question a line), CSV or JSONL' },
        modelConfigIds: { type: 'array', items: { type: 'string', format: 'uuid' }, minItems: 1, maxItems: 6 },
        concurrency: { type: 'integer', minimum: 1, maximum: 32, default: 4 },
        name: { type: 'string' },
      },
    },
  })
  @ApiAcceptedResponse({ schema: { type: 'object', properties: { id: { type: 'string', format: 'uuid' } } } })
  async create(@CurrentUser() user: AuthUser, @Req() request: FastifyRequest) {
    const fields: Record<string, string[]> = {};
    let file: { filename: string; bytes: Buffer } | null = null;
    const limits = { fileSize: this.config.env.BATCH_MAX_BYTES, files: 1, fields: 20 };
    for await (const part of request.parts({ limits })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          await part.toBuffer();
          continue;
        }
        const bytes = await part.toBuffer();
        if (part.file.truncated) {
          throw compareBatchesError(
            CompareBatchesErrorCode.InvalidFile,
            `The file must be at most ${this.config.env.BATCH_MAX_BYTES} bytes`,
            [{ path: 'file', message: 'is too large' }],
          );
        }
        file = { filename: part.filename || 'questions.txt', bytes };
      } else {
        const name = part.fieldname.replace(/\[\]$/, '');
        (fields[name] ??= []).push(String(part.value));
      }
    }
    if (!file) {
      throw compareBatchesError(
        CompareBatchesErrorCode.FileMissing,
        'Attach the questions as a multipart field named "file"',
        [{ path: 'file', message: 'is required' }],
      );
    }
    const parsed = CreateBatchFieldsSchema.safeParse({
      modelConfigIds: fields.modelConfigIds ?? [],
      concurrency: fields.concurrency?.[0],
      name: fields.name?.[0],
    });
    if (!parsed.success) throw new ZodValidationException(parsed.error);
    return this.batches.create(user, file, parsed.data, String(request.id));
  }

  @Get()
  @ApiOkResponse({ type: BatchPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: BatchQueryDto) {
    return this.batches.list(user, query.page, query.pageSize, query.status);
  }

  @Get(':id')
  @ApiOkResponse({ type: BatchDto })
  get(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.batches.get(user, id);
  }

  /** Stops the batch and keeps what finished. */
  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOkResponse({ type: BatchDto })
  cancel(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.batches.cancel(user, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    await this.batches.remove(user, id);
  }

  /** SSE: `progress` events (the batch as `GET` shows it, plus pauses and ETA) until it ends with `done`. */
  @Get(':id/events')
  @ApiEventStream('`progress` events (the batch as GET shows it, plus pauses and ETA) until `done`')
  async events(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    // Checked before the response turns into a stream, so a stranger's id still gets a plain 404.
    await this.batches.get(user, id);
    const sse = new SseStream(request, reply);
    let nextId = 1;
    const detach = await this.batches.follow(id, (batch) => {
      const finished = isBatchFinished(batch.status);
      sse.sendJson(nextId++, finished ? 'done' : 'progress', JSON.stringify(batch));
      if (finished) sse.end();
    });
    if (!detach) {
      sse.sendJson(
        nextId,
        'error',
        JSON.stringify({ code: CompareBatchesErrorCode.NotFound, message: 'Batch not found' }),
      );
      sse.end();
      return;
    }
    sse.onClose(detach);
  }

  @Get(':id/report')
  @ApiFileResponse(
    'The report as a file (an attachment)',
    'application/json',
    'text/csv',
    'text/markdown',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  )
  async report(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Query() query: BatchReportQueryDto,
    @Res() reply: FastifyReply,
  ) {
    const file = await renderBatchReport(await this.batches.report(user, id), query.format);
    await sendDownload(reply, file);
  }
}
