export declare const DEFAULT_POSTGRES_PORT: number;
export declare const POSTGRES_USER: string;
export declare const POSTGRES_DATABASE: string;

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

export interface PostgresHandle {
  name: string;
  /** Connection URL of the `modelyard` database. */
  url: string;
  port: number;
  password: string;
  /** The cluster's data directory. */
  pgData: string;
  /** Where initdb, pg_ctl, postgres and psql were found. */
  bindir: string;
  /** True when an instance left running by an earlier run was adopted. */
  reused: boolean;
  /** The URL of another database in the same cluster (it is not created). */
  urlFor(database: string): string;
  /** Creates the database if it does not exist yet and returns its URL. */
  createDatabase(database: string): Promise<string>;
  /** Settles when the server process goes away. */
  exited: Promise<ExitResult>;
  stopRequested: boolean;
  /** `pg_ctl stop -m fast`. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** The Modelyard data directory; the cluster lives in `<dataDir>/postgres`. */
  dataDir: string;
  /** A port that must be used (fails if busy). */
  port?: number;
  /** Tried when no port is given and none is remembered; a free one is chosen if it is busy. */
  defaultPort?: number;
  avoidPorts?: number[];
  log?: (message: string) => void;
}

export declare function postgresUrl(parts: {
  password: string;
  port: number;
  database?: string;
  host?: string;
  user?: string;
}): string;
export declare function shellQuote(value: string): string;
export declare function socketDirFor(pgData: string, port: number): string;
export declare function postmasterOptions(options: { port: number; socketDir: string }): string;
export declare function parsePostmasterPid(text: string): {
  pid: number;
  dataDir: string;
  port: number;
  socketDir: string;
  listenAddress: string;
  status: string;
};

/**
 * Starts (initialising on first use) or adopts the embedded PostgreSQL in `<dataDir>/postgres`, listening on
 * 127.0.0.1 only, and makes sure the `modelyard` database exists.
 */
export declare function startPostgres(options: StartPostgresOptions): Promise<PostgresHandle>;
