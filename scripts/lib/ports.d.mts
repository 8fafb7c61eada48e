/** The defaults of `npm start` (API 8080, PostgreSQL 54329, Redis 63790): test runs never take these. */
export declare const RESERVED_PORTS: number[];
/** Whether `port` can be bound on `host` (default 127.0.0.1) right now. */
export declare function isPortFree(port: number, host?: string): Promise<boolean>;
/** A port the kernel considers free on `host`, never one of `avoid`. */
export declare function findFreePort(options?: { host?: string; avoid?: number[] }): Promise<number>;
/** `preferred` when it is free, otherwise any free port. */
export declare function choosePort(
  preferred: number,
  options?: { host?: string; avoid?: number[] },
): Promise<{ port: number; fellBack: boolean }>;
/** Parses a port from an environment variable; `undefined` when unset or empty, throws when invalid. */
export declare function parsePort(value: string | undefined, name: string): number | undefined;
