import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { ApiEventStream, ApiEventStreamOrStarted } from '../../common/openapi/stream-responses';
import {
  BatchDeleteSessionsSchema,
  CreateSessionSchema,
  ExportQuerySchema,
  ExportSessionsSchema,
  ImportSessionSchema,
  MessageListQuerySchema,
  MessageListSchema,
  RegenerateSchema,
  SendMessageSchema,
  SessionPageSchema,
  SessionQuerySchema,
  SessionSchema,
  UpdateSessionSchema,
} from '@modelyard/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthUser, CurrentUser } from '../../common/auth/auth.decorators';
import { BodyLimit, IMPORT_BODY_LIMIT } from '../../common/http/body-limit';
import { sendDownload } from '../../common/http/download';
import { idParam } from '../../common/http/id-param';
import { ApiGenerationLimit } from '../../common/openapi/error-responses';
import { createZodDto } from '../../common/openapi/zod-dto';
import { SseStream, wantsEventStream } from '../../common/sse/sse-stream';
import type { ChatMessageEntity } from './chat-message.entity';
import { ChatErrorCode, chatError } from './chat.errors';
import { ChatService, type StartedGeneration } from './chat.service';
import { eventJson } from './generation-events.repository';
import { GenerationsService, isTerminalEvent } from './generations.service';
import { exportFilename } from './session-export';
import { ApiFileResponse, ApiObjectResponse, ApiStoppingResponse } from '../../common/openapi/plain-responses';

class CreateSessionDto extends createZodDto(CreateSessionSchema) {}
class UpdateSessionDto extends createZodDto(UpdateSessionSchema) {}
class SessionQueryDto extends createZodDto(SessionQuerySchema) {}
class SessionDto extends createZodDto(SessionSchema) {}
class SessionPageDto extends createZodDto(SessionPageSchema) {}
class MessageListDto extends createZodDto(MessageListSchema) {}
class MessageListQueryDto extends createZodDto(MessageListQuerySchema) {}
class SendMessageDto extends createZodDto(SendMessageSchema) {}
class RegenerateDto extends createZodDto(RegenerateSchema) {}
class ExportQueryDto extends createZodDto(ExportQuerySchema) {}
class ExportSessionsDto extends createZodDto(ExportSessionsSchema) {}
class ImportSessionDto extends createZodDto(ImportSessionSchema) {}
class BatchDeleteSessionsDto extends createZodDto(BatchDeleteSessionsSchema) {}

const STREAM_RESPONSE =
  'The generation as Server-Sent Events (meta, reasoning, content, reclassify, usage, done | error)';
const STARTED_RESPONSE = {
  description: "the new generation's ids; follow it with GET /api/chat/generations/:id/events",
  properties: Object.fromEntries(
    ['generationId', 'sessionId', 'userMessageId', 'assistantMessageId', 'modelConfigId', 'model'].map((name) => [
      name,
      name === 'model' ? { type: 'string' } : { type: 'string', format: 'uuid' },
    ]),
  ),
};

/**
 * `Last-Event-ID` (header, as browsers send it on reconnect) or `?lastEventId=` (for clients that cannot set it): the
 * id of an event this API sent, a whole number. Absent or empty: replay from the start.
 */
function lastEventId(request: FastifyRequest): number {
  const raw = request.headers['last-event-id'] ?? (request.query as Record<string, string | undefined>).lastEventId;
  const text = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? '';
  if (text === '') return 0;
  if (!/^\d{1,15}$/.test(text)) {
    throw chatError(ChatErrorCode.InvalidLastEventId, 'Last-Event-ID must be the id of an event (a whole number)', [
      { path: ['Last-Event-ID'], message: 'is not a whole number' },
    ]);
  }
  return Number(text);
}

@ApiTags('chat')
@ApiBearerAuth()
@Controller('chat')
export class ChatController {
  constructor(
    private readonly chat: ChatService,
    private readonly generations: GenerationsService,
  ) {}

  @Get('sessions')
  @ApiOkResponse({ type: SessionPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: SessionQueryDto) {
    return this.chat.listSessions(user, query);
  }

  @Post('sessions')
  @ApiCreatedResponse({ type: SessionDto })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateSessionDto) {
    return this.chat.createSession(user, body);
  }

  @Post('sessions/batch-delete')
  @HttpCode(200)
  @ApiObjectResponse('The ids deleted, and those skipped (not found or not yours)', {
    deleted: { type: 'array', items: { type: 'string', format: 'uuid' } },
    skipped: { type: 'array', items: { type: 'string', format: 'uuid' } },
  })
  deleteMany(@CurrentUser() user: AuthUser, @Body() body: BatchDeleteSessionsDto) {
    return this.chat.deleteSessions(user, body.ids);
  }

  /** Several sessions as one zip of Markdown, JSON or text files. */
  @Post('sessions/export')
  @HttpCode(200)
  @ApiFileResponse('The sessions as one zip of files in the chosen format', 'application/zip')
  async exportMany(@CurrentUser() user: AuthUser, @Body() body: ExportSessionsDto, @Res() reply: FastifyReply) {
    const zip = await this.chat.exportSessions(user, body.ids, body.format, body.timeZone);
    const filename = exportFilename('modelyard-chats', new Date(), body.format, body.timeZone).replace(
      /\.\w+$/,
      '.zip',
    );
    await sendDownload(reply, { filename, contentType: 'application/zip', body: Buffer.from(zip) });
  }

  @Post('sessions/import')
  @BodyLimit(IMPORT_BODY_LIMIT)
  @ApiCreatedResponse({ type: SessionDto })
  import(@CurrentUser() user: AuthUser, @Body() body: ImportSessionDto) {
    return this.chat.importSession(user, body);
  }

  @Get('sessions/:id')
  @ApiOkResponse({ type: SessionDto })
  get(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.chat.getSession(user, id);
  }

  @Patch('sessions/:id')
  @ApiOkResponse({ type: SessionDto })
  update(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string, @Body() body: UpdateSessionDto) {
    return this.chat.updateSession(user, id, body);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    await this.chat.deleteSession(user, id);
  }

  @Post('sessions/:id/clear')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionDto })
  clear(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    return this.chat.clearSession(user, id);
  }

  @Get('sessions/:id/messages')
  @ApiOkResponse({ type: MessageListDto })
  messages(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string, @Query() query: MessageListQueryDto) {
    return this.chat.listMessages(user, id, query);
  }

  @Get('sessions/:id/export')
  @ApiFileResponse(
    'The session as a file named `<title>_<date>.<md|json|txt>` (an attachment)',
    'text/markdown',
    'application/json',
    'text/plain',
  )
  async export(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Query() query: ExportQueryDto,
    @Res() reply: FastifyReply,
  ) {
    const file = await this.chat.exportSession(user, id, query.format, query.timeZone);
    await sendDownload(reply, file);
  }

  /**
   * Starts a generation. With `Accept: text/event-stream` the answer is its SSE stream; otherwise 202 with the ids
   * (follow it with GET /api/chat/generations/:id/events).
   */
  @Post('sessions/:id/messages')
  @ApiGenerationLimit()
  @HttpCode(200)
  @ApiEventStreamOrStarted(STREAM_RESPONSE, STARTED_RESPONSE, 'ids')
  async send(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Body() body: SendMessageDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const started = await this.chat.sendMessage(user, id, body);
    await this.answer(started, request, reply);
  }

  @Post('messages/:id/regenerate')
  @ApiGenerationLimit()
  @ApiBody({ type: RegenerateDto, required: false })
  @HttpCode(200)
  @ApiEventStreamOrStarted(STREAM_RESPONSE, STARTED_RESPONSE, 'ids')
  async regenerate(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Body() body: RegenerateDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const started = await this.chat.regenerate(user, id, body);
    await this.answer(started, request, reply);
  }

  /** Re-attach: replays after Last-Event-ID (or from the start), then follows live until the end. */
  @Get('generations/:id/events')
  @ApiEventStream('The events after Last-Event-ID (all of them without it), then live until `done` or `error`')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Continue after this event id (as EventSource sends it)',
  })
  @ApiQuery({
    name: 'lastEventId',
    required: false,
    type: Number,
    description: 'The same, for clients that cannot set the header',
  })
  async events(
    @CurrentUser() user: AuthUser,
    @Param('id', idParam) id: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const message = await this.chat.generationMessage(user, id);
    await this.stream(id, message, lastEventId(request), request, reply);
  }

  @Post('generations/:id/stop')
  @HttpCode(202)
  @ApiStoppingResponse()
  async stop(@CurrentUser() user: AuthUser, @Param('id', idParam) id: string) {
    // false: it had already ended (nothing to stop).
    return { stopping: await this.chat.stopGeneration(user, id) };
  }

  private async answer(started: StartedGeneration, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!wantsEventStream(request, 'ids')) {
      await reply.code(202).send(started.meta);
      return;
    }
    await this.stream(started.generationId, started.assistantMessage, 0, request, reply);
  }

  private async stream(
    generationId: string,
    message: ChatMessageEntity,
    afterId: number,
    request: FastifyRequest,
    reply: FastifyReply,
  ) {
    const sse = new SseStream(request, reply);
    // Leaving (closing the tab, a dropped connection) only detaches: the generation runs on and is persisted.
    const detach = await this.generations.attach(
      generationId,
      message,
      afterId,
      (event) => {
        sse.sendJson(event.id, event.event, eventJson(event));
        if (isTerminalEvent(event)) sse.end();
      },
      // Resumed after the end (EventSource reconnects with the id of `done`): close at once, nothing is missed.
      () => sse.end(),
    );
    sse.onClose(detach);
  }
}
