import type { ExitResult } from './postgres.mjs';

export declare const DEFAULT_REDIS_PORT: number;

export declare class RedisReplyError extends Error {}

export type RedisReply = string | number | null | RedisReplyError | RedisReply[];

export interface RedisHandle {
  name: string;
  /** `redis://:<password>@127.0.0.1:<port>` */
  url: string;
  port: number;
  password: string;
  /** Where the AOF and redis.conf live. */
  dir: string;
  /** The URL of one logical database (`/<db>`). */
  urlFor(db: number): string;
  exited: Promise<ExitResult>;
  stopRequested: boolean;
  /** SIGTERM (Redis flushes the AOF and exits), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

export interface StartRedisOptions {
  /** The Modelyard data directory; Redis keeps its files in `<dataDir>/redis`. */
  dataDir: string;
  /** A port that must be used (fails if busy). */
  port?: number;
  /** Tried when no port is given and none is remembered; a free one is chosen if it is busy. */
  defaultPort?: number;
  avoidPorts?: number[];
  /** Print Redis' own output prefixed with [redis] (default true). */
  echo?: boolean;
  /** Also append Redis' output here. */
  logFile?: string;
  log?: (message: string) => void;
}

export declare function redisConfigQuote(value: string): string;
export declare function renderRedisConfig(options: {
  port: number;
  dir: string;
  password: string;
  pidFile: string;
}): string;
export declare function redisUrl(parts: { password: string; port: number; host?: string; db?: number }): string;
export declare function encodeCommand(args: Array<string | number>): Buffer;
export declare function createReplyParser(): { push(chunk: Buffer): RedisReply[] };
/** Sends `commands` on one connection (after AUTH when a password is given); error replies come back as values. */
export declare function redisCommands(options: {
  port: number;
  host?: string;
  password?: string;
  commands: Array<Array<string | number>>;
  timeoutMs?: number;
}): Promise<RedisReply[]>;
export declare function pingRedis(options: { port: number; host?: string; password?: string }): Promise<boolean>;

/** Starts the embedded Redis in `<dataDir>/redis` and resolves once it answers PING. */
export declare function startRedis(options: StartRedisOptions): Promise<RedisHandle>;
