import { randomUUID } from 'node:crypto';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { GenerationEvent, MessageStatus, Usage } from '@modelyard/contracts';
import type { ChatMessage, ChatRequest } from '@modelyard/llm-clients';
import type { AuthUser } from '../../common/auth/auth.decorators';
import { endOpenEventStreams } from '../../common/sse/sse-stream';
import { AppConfig } from '../../config/app-config';
import { ModelConfigsService, type UsableModelConfig } from '../model-configs/model-configs.service';
import type { ChatMessageEntity } from './chat-message.entity';
import { ChatErrorCode, chatError } from './chat.errors';
import { ChatRepository } from './chat.repository';
import { GenerationEventsRepository, type StoredEvent } from './generation-events.repository';

/** Pending events are looked at this often and pipelined to Redis in small batches... */
const FLUSH_INTERVAL_MS = 25;
/**
 * ...once a generation has this many, or its oldest has waited this long. A slow stream (20 tokens/s) then costs
 * Redis one entry per ~100 ms instead of one per token; readers in other processes lag the live stream by at most
 * that much (local listeners get every event at once).
 */
const FLUSH_MIN_EVENTS = 8;
const FLUSH_MAX_WAIT_MS = 100;
/** The message row is brought up to date at most this far apart while streaming (the "≤ 1 s" promise). */
const PERSIST_INTERVAL_MS = 750;
/** How long a finished generation can be replayed from Redis; after that it is rebuilt from the message row. */
const STREAM_TTL_SECONDS = 3600;
const HEARTBEAT_INTERVAL_MS = 2000;
const HEARTBEAT_TTL_MS = 7000;
const SWEEP_INTERVAL_MS = 5000;

export type EventListener = (event: StoredEvent) => void;

/** `done` and `error` end a generation's stream. */
export const isTerminalEvent = (event: StoredEvent): boolean => event.event === 'done' || event.event === 'error';

export interface GenerationStart {
  user: AuthUser;
  sessionId: string;
  usable: UsableModelConfig;
  history: ChatMessage[];
  userMessageId: string | null;
  assistantMessageId: string;
  /**
   * Resolves once the message rows are stored. The upstream request does not wait for it (the insert overlaps the
   * model's time to first token); saves and Redis appends do. If it rejects, the generation is dropped unseen.
   */
  persisted: Promise<unknown>;
  onFinished?: (message: { status: MessageStatus; content: string }) => void;
}

/** A generation running in this process: the source of truth for its events until it ends. */
class LiveGeneration {
  readonly events: StoredEvent[] = [];
  readonly listeners = new Set<EventListener>();
  readonly abort = new AbortController();
  stopRequested = false;
  finished = false;
  /** Events not yet appended to Redis (taken by the process-wide flush), and when the oldest of them arrived. */
  unflushed: StoredEvent[] = [];
  unflushedSince = 0;
  /** The answer so far, saved by the process-wide interim save. */
  content = '';
  reasoning = '';
  /** Its timings as they become known; saved with the text, so an answer whose process dies keeps them too. */
  ttftMs: number | null = null;
  reasoningMs: number | null = null;
  /** Changed since the last interim save. */
  dirty = false;
  /** The final save has begun: interim saves leave the row alone. */
  finalizing = false;
  /** The message row exists; until then nothing is saved or appended to Redis. */
  rowReady = false;
  /** Settles with the insert of the message rows (rejects if it failed). */
  persisted: Promise<void> = Promise.resolve();

  constructor(
    readonly id: string,
    readonly userId: string,
    readonly sessionId: string,
    readonly assistantMessageId: string,
  ) {}
}

/**
 * Runs generations that belong to the server, not to an HTTP request. The process that runs one fans its events
 * out to local listeners from memory and appends them, in small pipelined batches, to a Redis Stream that any API
 * process can replay and follow (re-attach after a drop, another tab, another instance). PostgreSQL holds the
 * message, updated at the start, at most every 750 ms and at the end. A sweep finishes the generations of API
 * processes that died as `interrupted`, rebuilt from the Redis Stream so nothing already shown is lost.
 */
@Injectable()
export class GenerationsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(GenerationsService.name);
  readonly instanceId = randomUUID();
  private readonly live = new Map<string, LiveGeneration>();
  private timers: NodeJS.Timeout[] = [];
  /**
   * One Redis flush and one interim save for all of this process's generations, not one timer and one round trip
   * per generation: with a thousand answers streaming that is a pipeline every 25 ms and an UPDATE every 750 ms
   * instead of thousands of each. They run while any generation is live.
   */
  private tickers: NodeJS.Timeout[] = [];
  private saving: Promise<void> | null = null;

  constructor(
    private readonly chat: ChatRepository,
    private readonly events: GenerationEventsRepository,
    private readonly modelConfigs: ModelConfigsService,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.events.heartbeat(this.instanceId, HEARTBEAT_TTL_MS).catch(() => undefined);
    await this.events.onStop((generationId) => this.stopLocal(generationId));
    const heartbeat = setInterval(
      () => void this.events.heartbeat(this.instanceId, HEARTBEAT_TTL_MS).catch(() => undefined),
      HEARTBEAT_INTERVAL_MS,
    );
    const sweep = setInterval(
      () => void this.sweepOrphans().catch((e: Error) => this.logger.warn(`orphan sweep failed: ${e.message}`)),
      SWEEP_INTERVAL_MS,
    );
    heartbeat.unref();
    sweep.unref();
    this.timers = [heartbeat, sweep];
    void this.sweepOrphans().catch(() => undefined);
  }

  /**
   * Before the HTTP server closes (it would wait for the event streams): a graceful stop ends this process's
   * generations as interrupted now, their clients getting the final events, rather than leaving them to another
   * process's sweep; then the event streams still open (followers of other processes' answers, batch progress).
   */
  async beforeApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.stopTickers();
    await Promise.all(
      [...this.live.values()].map(async (gen) => {
        gen.abort.abort();
        await this.waitFinished(gen, 5000);
      }),
    );
    // Their last events leave on the next tick: end the streams after them.
    await new Promise((resolve) => setImmediate(resolve));
    endOpenEventStreams();
  }

  isLocal(generationId: string): boolean {
    return this.live.has(generationId);
  }

  /** Claims a slot for the user or answers 429; `extraSlots` raises the limit (a compare run streams every column). */
  async claimSlot(userId: string, generationId: string, extraSlots = 0): Promise<void> {
    const limit = this.config.env.CHAT_MAX_CONCURRENT_GENERATIONS + extraSlots;
    if (!(await this.events.claimSlot(userId, generationId, limit))) {
      throw chatError(
        ChatErrorCode.TooManyGenerations,
        `You already have ${limit} answers generating; wait for one to finish or stop it`,
        undefined,
        { 'retry-after': '2' },
      );
    }
  }

  async releaseSlot(userId: string, generationId: string): Promise<void> {
    await this.events.releaseSlot(userId, generationId).catch(() => undefined);
  }

  /** Starts the upstream call in the background and returns at once; listeners attach with `attach`. */
  start(input: GenerationStart, generationId: string): void {
    const gen = new LiveGeneration(generationId, input.user.id, input.sessionId, input.assistantMessageId);
    gen.persisted = input.persisted.then(
      () => {
        gen.rowReady = true;
      },
      (error: unknown) => {
        gen.abort.abort();
        throw error;
      },
    );
    // The caller handles the insert's failure; this copy only orders the saves and appends after it.
    gen.persisted.catch(() => undefined);
    this.live.set(generationId, gen);
    this.startTickers();
    this.emit(gen, {
      event: 'meta',
      data: {
        generationId,
        sessionId: input.sessionId,
        userMessageId: input.userMessageId,
        assistantMessageId: input.assistantMessageId,
        model: input.usable.config.model,
        modelConfigId: input.usable.config.id,
      },
    });
    void this.run(gen, input).catch((error: Error) =>
      this.logger.error(`generation ${generationId} failed: ${error.stack}`),
    );
  }

  private async run(gen: LiveGeneration, input: GenerationStart): Promise<void> {
    const started = performance.now();
    const { usable } = input;
    let usage: Usage | null = null;
    let reasoningStarted: number | null = null;
    let status: MessageStatus = 'complete';
    let finishReason: string | null = null;
    let failure: { code: string; message: string } | null = null;
    /** Taken once the upstream is done with: the `done` event and the stored message say the same. */
    let totalMs = 0;
    const persistFinal = () =>
      this.chat.updateMessage(gen.assistantMessageId, {
        content: gen.content,
        reasoning: gen.reasoning || null,
        status,
        usage,
        ttftMs: gen.ttftMs,
        totalMs,
        reasoningMs: gen.reasoningMs,
        finishReason,
        error: failure,
        ownerInstance: null,
      });

    const request: ChatRequest = {
      model: usable.config.model,
      messages: input.history,
      params: usable.config.params,
      signal: gen.abort.signal,
    };
    try {
      // One async hop per upstream network chunk; the events in it are handled synchronously.
      for await (const batch of this.modelConfigs.streamChatBatches(usable, request)) {
        const now = performance.now();
        for (let index = 0; index < batch.length; index++) {
          const event = batch[index]!;
          if (event.type === 'reasoning' || event.type === 'content') {
            // The first text of either kind carries the time to it.
            const first = gen.ttftMs === null ? { ttftMs: (gen.ttftMs = Math.round(now - started)) } : null;
            // Deltas of one kind that arrived in the same network read leave as one event: none of them is held
            // back, and a fast model costs one frame (one client parse, one Redis entry part) per read, not per token.
            let text = event.text;
            for (let next = batch[index + 1]; next?.type === event.type; next = batch[index + 1]) {
              text += next.text;
              index++;
            }
            gen.dirty = true;
            if (event.type === 'reasoning') {
              reasoningStarted ??= now;
              gen.reasoning += text;
              this.emit(gen, { event: 'reasoning', data: first ? { text, ...first } : { text } });
            } else if (reasoningStarted !== null && gen.reasoningMs === null) {
              // The thinking ends with the first answer text: its length travels with it (replays need it).
              gen.reasoningMs = Math.round(now - reasoningStarted);
              gen.content += text;
              this.emit(gen, { event: 'content', data: { text, reasoningMs: gen.reasoningMs } });
            } else {
              gen.content += text;
              this.emit(gen, { event: 'content', data: first ? { text, ...first } : { text } });
            }
          } else if (event.type === 'reclassify') {
            gen.reasoning = event.reasoning;
            gen.content = event.content;
            gen.dirty = true;
            if (gen.reasoning === '') {
              // It was all the answer after all (a learned "starts in reasoning" that did not hold): no thinking.
              reasoningStarted = null;
              gen.reasoningMs = null;
            } else {
              reasoningStarted ??= started + (gen.ttftMs ?? 0);
              if (gen.content && gen.reasoningMs === null) gen.reasoningMs = Math.round(now - reasoningStarted);
            }
            this.emit(gen, {
              event: 'reclassify',
              data: {
                reasoning: gen.reasoning,
                content: gen.content,
                ...(gen.reasoning && gen.content && gen.reasoningMs !== null && { reasoningMs: gen.reasoningMs }),
              },
            });
          } else if (event.type === 'usage') {
            usage = {
              promptTokens: event.promptTokens,
              completionTokens: event.completionTokens,
              ...(event.estimated && { estimated: true as const }),
            };
            this.emit(gen, { event: 'usage', data: usage });
          } else if (event.type === 'done') {
            finishReason = event.finishReason;
          } else if (event.type === 'error') {
            if (event.kind === 'aborted') {
              status = gen.stopRequested ? 'stopped' : 'interrupted';
            } else {
              status = 'error';
              failure = {
                code: event.kind === 'upstream' ? 'UPSTREAM_ERROR' : `UPSTREAM_${event.kind.toUpperCase()}`,
                message: this.modelConfigs.describeFailure(usable, event),
              };
            }
          }
        }
      }
    } catch (error) {
      status = 'error';
      failure = { code: 'GENERATION_FAILED', message: 'The answer could not be completed' };
      this.logger.error(`generation ${gen.id}: ${(error as Error).stack}`);
    }
    if (reasoningStarted !== null && gen.reasoningMs === null)
      gen.reasoningMs = Math.round(performance.now() - reasoningStarted);
    totalMs = Math.round(performance.now() - started);
    if (
      !(await gen.persisted.then(
        () => true,
        () => false,
      ))
    ) {
      // Nobody saw it (the HTTP request answers with the insert's error) and nothing was stored or appended.
      await this.events.releaseSlot(gen.userId, gen.id).catch(() => undefined);
      this.forget(gen);
      return;
    }
    // An interim save in flight may hold older text: the final save goes after it.
    gen.finalizing = true;
    await this.saving;
    // The final save is what survives; retry it through a short database hiccup before giving up.
    for (let attempt = 1; ; attempt++) {
      try {
        await persistFinal();
        break;
      } catch (error) {
        if (attempt >= 5) {
          this.logger.error(`cannot persist generation ${gen.id}: ${(error as Error).message}`);
          // Never left `streaming` (which would hold the conversation): the answer ends as failed, with the text of
          // its last interim save, and its watchers are told so.
          status = 'error';
          failure = { code: 'GENERATION_FAILED', message: 'The answer could not be saved' };
          await this.chat
            .updateMessage(gen.assistantMessageId, { status, totalMs, error: failure, ownerInstance: null })
            .catch((e: Error) => this.logger.error(`cannot end generation ${gen.id}: ${e.message}`));
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
    if (failure) this.emit(gen, { event: 'error', data: failure });
    else {
      this.emit(gen, {
        event: 'done',
        data: {
          status,
          ttftMs: gen.ttftMs,
          totalMs,
          reasoningMs: gen.reasoningMs,
          ...(finishReason && status === 'complete' && { finishReason }),
        },
      });
    }
    gen.finished = true;
    // The last events, the stream's time to live and the user's slot back, in one round trip; queued after any
    // flush that already took earlier events.
    const rest = gen.unflushed;
    gen.unflushed = [];
    await this.events.append(gen.id, rest, STREAM_TTL_SECONDS, gen.userId).catch(async (error: Error) => {
      this.logger.warn(`generation ${gen.id}: Redis append failed (${error.message}); local listeners unaffected`);
      await this.events.releaseSlot(gen.userId, gen.id).catch(() => undefined);
    });
    this.forget(gen);
    input.onFinished?.({ status, content: gen.content });
  }

  private emit(gen: LiveGeneration, event: GenerationEvent): void {
    const stored = {
      id: gen.events.length + 1,
      event: event.event,
      data: event.data,
      json: JSON.stringify(event.data),
    } as StoredEvent;
    gen.events.push(stored);
    if (gen.unflushed.length === 0) gen.unflushedSince = performance.now();
    gen.unflushed.push(stored);
    for (const listener of gen.listeners) listener(stored);
  }

  private forget(gen: LiveGeneration): void {
    this.live.delete(gen.id);
    if (this.live.size === 0) this.stopTickers();
  }

  private startTickers(): void {
    if (this.tickers.length > 0) return;
    this.tickers = [
      setInterval(() => this.flushAll(), FLUSH_INTERVAL_MS),
      setInterval(() => this.saveAll(), PERSIST_INTERVAL_MS),
    ];
    for (const ticker of this.tickers) ticker.unref();
  }

  private stopTickers(): void {
    for (const ticker of this.tickers) clearInterval(ticker);
    this.tickers = [];
  }

  /** Appends the generations' pending events to their Redis Streams: one pipeline, one round trip. */
  private flushAll(): void {
    const batches: { generationId: string; events: StoredEvent[] }[] = [];
    const due = performance.now() - FLUSH_MAX_WAIT_MS;
    for (const gen of this.live.values()) {
      if (!gen.rowReady || gen.finished || gen.unflushed.length === 0) continue;
      if (gen.unflushed.length < FLUSH_MIN_EVENTS && gen.unflushedSince > due) continue;
      batches.push({ generationId: gen.id, events: gen.unflushed });
      gen.unflushed = [];
    }
    if (batches.length === 0) return;
    void this.events.appendMany(batches).catch((error: Error) => {
      this.logger.warn(
        `Redis append of ${batches.length} generations failed (${error.message}); local listeners unaffected`,
      );
    });
  }

  /**
   * Saves the text of every generation that changed since the last save in one UPDATE. One save at a time: a tick
   * that finds one still running skips (streams are never held up, saves never pile up).
   */
  private saveAll(): void {
    if (this.saving) return;
    const dirty = [...this.live.values()].filter((gen) => gen.dirty && gen.rowReady && !gen.finalizing);
    if (dirty.length === 0) return;
    for (const gen of dirty) gen.dirty = false;
    this.saving = this.chat
      .saveProgress(
        dirty.map((gen) => ({
          id: gen.assistantMessageId,
          content: gen.content,
          reasoning: gen.reasoning || null,
          ttftMs: gen.ttftMs,
          reasoningMs: gen.reasoningMs,
        })),
      )
      .catch((error: Error) => {
        for (const gen of dirty) gen.dirty = true;
        this.logger.warn(`interim save of ${dirty.length} answers failed (${error.message})`);
      })
      .finally(() => {
        this.saving = null;
      });
  }

  /**
   * Delivers events after `afterId` then follows live until the terminal event. Returns a detach function.
   * Works for generations of this process (from memory), of another process (Redis Stream) and for finished
   * ones whose stream expired (rebuilt from the message row). `ended` is called instead when the generation is
   * over and its terminal event is not after `afterId` (a client resuming after the end, as EventSource does when
   * the server closes the stream), or when following another process's generation failed: nothing more will come
   * on this stream.
   */
  async attach(
    generationId: string,
    message: ChatMessageEntity,
    afterId: number,
    listener: EventListener,
    ended: () => void = () => undefined,
  ): Promise<() => void> {
    const gen = this.live.get(generationId);
    if (gen) {
      for (const event of gen.events) if (event.id > afterId) listener(event);
      if (gen.finished) {
        const last = gen.events[gen.events.length - 1];
        if (!last || last.id <= afterId) ended();
        return () => undefined;
      }
      // A client may resume from an id beyond what has been sent here (it followed another, faster process): the
      // live events up to that id are not sent twice, and a stream that ends at or before it ends this one too.
      const live =
        gen.events.length >= afterId
          ? listener
          : (event: StoredEvent) => {
              if (event.id > afterId) listener(event);
              else if (isTerminalEvent(event)) ended();
            };
      gen.listeners.add(live);
      return () => gen.listeners.delete(live);
    }
    // A running generation of another process may not have flushed its first batch yet: follow it regardless.
    if (message.status !== 'streaming' && !(await this.events.exists(generationId))) {
      const events = this.rebuild(message);
      for (const event of events) if (event.id > afterId) listener(event);
      if ((events[events.length - 1]?.id ?? 0) <= afterId) ended();
      return () => undefined;
    }
    return this.followRemote(generationId, afterId, listener, ended);
  }

  private followRemote(generationId: string, afterId: number, listener: EventListener, ended: () => void): () => void {
    const follower = this.events.openFollower();
    let closed = false;
    let position = afterId;
    /** Nothing after `position`: over if the Stream already ends (at or before it) with its terminal event. */
    const isOver = async () => {
      const last = await this.events.lastEvent(generationId);
      return last !== undefined && isTerminalEvent(last) && last.id <= position;
    };
    void (async () => {
      try {
        const replay = await this.events.read(generationId, position);
        for (const event of replay) {
          listener(event);
          position = event.id;
          if (isTerminalEvent(event)) return;
        }
        if (replay.length === 0 && (await isOver())) {
          if (!closed) ended();
          return;
        }
        while (!closed) {
          const batch = await follower.next(generationId, position, 5000);
          for (const event of batch) {
            listener(event);
            position = event.id;
            if (isTerminalEvent(event)) return;
          }
          if (batch.length > 0) continue;
          // A quiet stretch: a client that resumed beyond the last event would otherwise wait here for ever.
          if (await isOver()) {
            if (!closed) ended();
            return;
          }
          // The answer was finished (its process is gone) but its stream lost its end (Redis lost writes): end
          // with the saved message's own terminal event.
          const row = await this.chat.findByGeneration(generationId);
          if (row && row.status !== 'streaming') {
            const terminal = this.rebuild(row).at(-1);
            if (terminal && !closed) listener({ ...terminal, id: Math.max(terminal.id, position + 1) } as StoredEvent);
            return;
          }
        }
      } catch (error) {
        if (!closed) {
          this.logger.warn(`following generation ${generationId} failed: ${(error as Error).message}`);
          // Close rather than ping for ever: the client re-attaches (EventSource does by itself) from its last id.
          ended();
        }
      } finally {
        follower.close();
      }
    })();
    return () => {
      closed = true;
      follower.close();
    };
  }

  /** The events a client would have seen, from the persisted message (used when the Redis Stream has expired). */
  rebuild(message: ChatMessageEntity): StoredEvent[] {
    const events: GenerationEvent[] = [
      {
        event: 'meta',
        data: {
          generationId: message.generationId ?? message.id,
          sessionId: message.sessionId,
          userMessageId: message.parentId,
          assistantMessageId: message.id,
          model: message.model ?? '',
          modelConfigId: message.modelConfigId,
        },
      },
    ];
    const ttft = message.ttftMs !== null ? { ttftMs: message.ttftMs } : {};
    if (message.reasoning) events.push({ event: 'reasoning', data: { text: message.reasoning, ...ttft } });
    if (message.content) {
      events.push({
        event: 'content',
        data: {
          text: message.content,
          ...(message.reasoning ? message.reasoningMs !== null && { reasoningMs: message.reasoningMs } : ttft),
        },
      });
    }
    if (message.usage) events.push({ event: 'usage', data: message.usage });
    if (message.status === 'error' && message.error) events.push({ event: 'error', data: message.error });
    else if (message.status !== 'streaming') {
      events.push({
        event: 'done',
        data: {
          status: message.status,
          ttftMs: message.ttftMs,
          totalMs: message.totalMs ?? 0,
          reasoningMs: message.reasoningMs,
          ...(message.finishReason && message.status === 'complete' && { finishReason: message.finishReason }),
        },
      });
    }
    return events.map((event, index) => ({ ...event, id: index + 1 }) as StoredEvent);
  }

  /** Stop from any API process: aborts here, or asks the owning process over Redis. */
  async stop(generationId: string): Promise<void> {
    if (this.stopLocal(generationId)) return;
    await this.events.publishStop(generationId);
  }

  private stopLocal(generationId: string): boolean {
    const gen = this.live.get(generationId);
    if (!gen) return false;
    gen.stopRequested = true;
    gen.abort.abort();
    return true;
  }

  /**
   * Finishes generations whose API process stopped heart-beating: status `interrupted`, with the text rebuilt from
   * the Redis Stream (everything any client saw), and a terminal event appended so followers end too.
   */
  async sweepOrphans(): Promise<number> {
    const streaming = await this.chat.listStreaming();
    let finished = 0;
    const alive = new Map<string, boolean>();
    for (const message of streaming) {
      const owner = message.ownerInstance;
      if (owner === this.instanceId || (message.generationId && this.live.has(message.generationId))) continue;
      if (owner) {
        if (!alive.has(owner)) alive.set(owner, await this.events.isInstanceAlive(owner));
        if (alive.get(owner)) continue;
      }
      await this.finishOrphan(message);
      finished++;
    }
    return finished;
  }

  private async finishOrphan(message: ChatMessageEntity): Promise<void> {
    let content = message.content;
    let reasoning = message.reasoning ?? '';
    let usage = message.usage;
    let lastId = 0;
    if (message.generationId) {
      const replay: StoredEvent[] = [];
      for (let batch = await this.events.read(message.generationId, 0); batch.length > 0;) {
        replay.push(...batch);
        batch = await this.events.read(message.generationId, batch[batch.length - 1]!.id);
      }
      let replayed = { content: '', reasoning: '', usage };
      for (const event of replay) {
        lastId = event.id;
        if (event.event === 'content') replayed.content += event.data.text;
        else if (event.event === 'reasoning') replayed.reasoning += event.data.text;
        else if (event.event === 'reclassify') replayed = { ...replayed, ...event.data };
        else if (event.event === 'usage') replayed.usage = event.data;
      }
      // The stream is usually ahead of the last database save (≤ 1 s), but Redis may have lost writes (a crash, or
      // appends that failed while it was down): the longer of the two is what the user saw.
      if (replayed.content.length + replayed.reasoning.length >= content.length + reasoning.length) {
        ({ content, reasoning, usage } = replayed);
      }
    }
    // Up to its last save (≤ 1 s before its process went away), not the downtime until this sweep.
    const totalMs = Math.max(0, Math.round(message.updatedAt.getTime() - message.createdAt.getTime()));
    // Still thinking when its process went away: it thought until then.
    const reasoningMs =
      message.reasoningMs ?? (reasoning && !content ? Math.max(0, totalMs - (message.ttftMs ?? 0)) : null);
    await this.chat.updateMessage(message.id, {
      status: 'interrupted',
      content,
      reasoning: reasoning || null,
      usage,
      totalMs,
      reasoningMs,
      ownerInstance: null,
    });
    if (message.generationId) {
      await this.events
        .append(
          message.generationId,
          [
            {
              id: lastId + 1,
              event: 'done',
              data: { status: 'interrupted', ttftMs: message.ttftMs, totalMs, reasoningMs },
            },
          ],
          STREAM_TTL_SECONDS,
        )
        .catch(() => undefined);
    }
    // The dead process cannot give its user's concurrency slot back; do it for it.
    const session = await this.chat.findSession(message.sessionId);
    if (session && message.generationId) {
      await this.events.releaseSlot(session.ownerId, message.generationId).catch(() => undefined);
    }
    this.logger.warn(
      `generation ${message.generationId ?? message.id} finished as interrupted (its API process is gone)`,
    );
  }

  private async waitFinished(gen: LiveGeneration, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.live.has(gen.id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }
}
