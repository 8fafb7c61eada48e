import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { GenerationEvent } from '@modelyard/contracts';
import type { ChainableCommander, default as Redis } from 'ioredis';
import { REDIS_CLIENT } from '../../common/redis/redis.tokens';

/**
 * One event of a generation's stream, with the integer id clients echo back in Last-Event-ID. `json` is `data`
 * serialised once by whoever created the event, so neither the SSE writer nor the Redis append stringify it again.
 */
export type StoredEvent = GenerationEvent & { id: number; json?: string };

export const eventJson = (event: StoredEvent): string => event.json ?? JSON.stringify(event.data);

const streamKey = (generationId: string) => `chat:gen:${generationId}`;
const instanceKey = (instanceId: string) => `chat:instance:${instanceId}`;
const activeKey = (userId: string) => `chat:active:${userId}`;
const STOP_CHANNEL = 'chat:stop';

type StreamEntry = [id: string, fields: string[]];

/** Adds the generation to the user's set and keeps it only if the set is within the limit: one round trip. */
const CLAIM_SLOT_SCRIPT = `
redis.call('SADD', KEYS[1], ARGV[1])
if redis.call('SCARD', KEYS[1]) <= tonumber(ARGV[2]) then return 1 end
redis.call('SREM', KEYS[1], ARGV[1])
return 0`;

type WithClaimSlot = Redis & {
  modelyardClaimSlot(key: string, generationId: string, limit: number): Promise<number>;
};

/**
 * Each Stream entry holds one batch of events (field `b`: `[[id, event, data], …]`) and its entry id is the id of the
 * batch's last event, so `XRANGE (<n>-0 +` and `XREAD … <n>-0` return every batch with an event after n; the events
 * up to n inside the first batch are dropped here.
 */
function decode(entries: StreamEntry[] | null | undefined, afterId: number): StoredEvent[] {
  if (!entries) return [];
  const events: StoredEvent[] = [];
  for (const [, fields] of entries) {
    const index = fields.indexOf('b');
    const raw = index >= 0 ? fields[index + 1] : undefined;
    if (raw === undefined) continue;
    for (const [id, event, data] of JSON.parse(raw) as [number, string, unknown][]) {
      if (id > afterId) events.push({ id, event, data } as StoredEvent);
    }
  }
  return events;
}

function addBatch(pipeline: ChainableCommander, generationId: string, events: StoredEvent[]): void {
  const last = events[events.length - 1];
  if (!last) return;
  const batch = `[${events.map((e) => `[${e.id},${JSON.stringify(e.event)},${eventJson(e)}]`).join(',')}]`;
  pipeline.xadd(streamKey(generationId), `${last.id}-0`, 'b', batch);
}

async function execAll(pipeline: ChainableCommander): Promise<void> {
  const results = await pipeline.exec();
  const failed = results?.find(([error]) => error);
  if (failed?.[0]) throw failed[0];
}

/**
 * Redis side of generations: an append-only Stream per generation (so any API process can replay and follow it),
 * liveness keys of the processes running generations, per-user concurrency sets and the stop channel.
 * Stream entry ids are `<event id>-0`, so Last-Event-ID maps straight onto XRANGE/XREAD positions.
 */
@Injectable()
export class GenerationEventsRepository implements OnModuleDestroy {
  private subscriber: Redis | null = null;
  private readonly readers = new Set<Redis>();

  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {
    if (!('modelyardClaimSlot' in redis)) {
      redis.defineCommand('modelyardClaimSlot', { numberOfKeys: 1, lua: CLAIM_SLOT_SCRIPT });
    }
  }

  /**
   * Appends one batch (one Stream entry) and optionally sets the Stream's time to live and gives the user's
   * generation slot back, all in one round trip.
   */
  async append(
    generationId: string,
    events: StoredEvent[],
    ttlSeconds?: number,
    releaseSlotOf?: string,
  ): Promise<void> {
    if (events.length === 0 && ttlSeconds === undefined && releaseSlotOf === undefined) return;
    const pipeline = this.redis.pipeline();
    addBatch(pipeline, generationId, events);
    if (ttlSeconds !== undefined) pipeline.expire(streamKey(generationId), ttlSeconds);
    if (releaseSlotOf !== undefined) pipeline.srem(activeKey(releaseSlotOf), generationId);
    await execAll(pipeline);
  }

  /** Appends one batch to each of several generations' Streams in one pipeline (one round trip). */
  async appendMany(batches: { generationId: string; events: StoredEvent[] }[]): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const { generationId, events } of batches) addBatch(pipeline, generationId, events);
    await execAll(pipeline);
  }

  /** Events after `afterId`, oldest first. */
  async read(generationId: string, afterId: number, count = 1000): Promise<StoredEvent[]> {
    const entries = (await this.redis.xrange(
      streamKey(generationId),
      `(${afterId}-0`,
      '+',
      'COUNT',
      count,
    )) as StreamEntry[];
    return decode(entries, afterId);
  }

  /** The Stream's newest event (undefined when the Stream does not exist or is empty). */
  async lastEvent(generationId: string): Promise<StoredEvent | undefined> {
    const entries = (await this.redis.xrevrange(streamKey(generationId), '+', '-', 'COUNT', 1)) as StreamEntry[];
    return decode(entries, 0).at(-1);
  }

  async exists(generationId: string): Promise<boolean> {
    return (await this.redis.exists(streamKey(generationId))) === 1;
  }

  /**
   * A blocking reader on its own connection (a blocked connection can serve nothing else). The caller closes it.
   */
  openFollower(): {
    next(generationId: string, afterId: number, blockMs: number): Promise<StoredEvent[]>;
    close(): void;
  } {
    const connection = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: 1 });
    // A Redis outage fails the pending read (the caller reports it) and shows in /api/health; not worth a log line.
    connection.on('error', () => undefined);
    this.readers.add(connection);
    return {
      next: async (generationId, afterId, blockMs) => {
        const result = (await connection.xread(
          'COUNT',
          1000,
          'BLOCK',
          blockMs,
          'STREAMS',
          streamKey(generationId),
          `${afterId}-0`,
        )) as [string, StreamEntry[]][] | null;
        return decode(result?.[0]?.[1], afterId);
      },
      close: () => {
        this.readers.delete(connection);
        connection.disconnect();
      },
    };
  }

  async heartbeat(instanceId: string, ttlMs: number): Promise<void> {
    await this.redis.set(instanceKey(instanceId), '1', 'PX', ttlMs);
  }

  async isInstanceAlive(instanceId: string): Promise<boolean> {
    return (await this.redis.exists(instanceKey(instanceId))) === 1;
  }

  /** Claims one of the user's generation slots; false when all are taken. */
  async claimSlot(userId: string, generationId: string, limit: number): Promise<boolean> {
    return (await (this.redis as WithClaimSlot).modelyardClaimSlot(activeKey(userId), generationId, limit)) === 1;
  }

  async releaseSlot(userId: string, generationId: string): Promise<void> {
    await this.redis.srem(activeKey(userId), generationId);
  }

  async activeSlots(userId: string): Promise<string[]> {
    return this.redis.smembers(activeKey(userId));
  }

  async publishStop(generationId: string): Promise<void> {
    await this.redis.publish(STOP_CHANNEL, generationId);
  }

  async onStop(handler: (generationId: string) => void): Promise<void> {
    if (!this.subscriber) {
      this.subscriber = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
      // It reconnects and resubscribes by itself; /api/health reports the outage.
      this.subscriber.on('error', () => undefined);
    }
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === STOP_CHANNEL) handler(message);
    });
    await this.subscriber.subscribe(STOP_CHANNEL);
  }

  onModuleDestroy(): void {
    this.subscriber?.disconnect();
    for (const reader of this.readers) reader.disconnect();
    this.readers.clear();
  }
}
