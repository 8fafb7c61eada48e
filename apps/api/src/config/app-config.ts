import { isAbsolute, resolve } from 'node:path';
import { type Env, parseEnv } from './config.schema';
import { generateHexSecret, loadOrCreateSecret } from './secrets';

/** Typed, validated configuration; built once from the environment at start. */
export class AppConfig {
  readonly env: Env;
  readonly dataDir: string;
  readonly jwtSecret: string;
  readonly encryptionKey: Buffer;
  readonly previousEncryptionKeys: Buffer[];
  readonly webDistDir: string;

  constructor(env: Env) {
    this.env = env;
    this.dataDir = isAbsolute(env.DATA_DIR) ? env.DATA_DIR : resolve(process.cwd(), env.DATA_DIR);
    this.jwtSecret = env.JWT_SECRET ?? loadOrCreateSecret(this.dataDir, 'jwt-secret', generateHexSecret(48));
    this.encryptionKey = Buffer.from(
      env.ENCRYPTION_KEY ?? loadOrCreateSecret(this.dataDir, 'encryption-key', generateHexSecret(32)),
      'hex',
    );
    this.previousEncryptionKeys = (env.ENCRYPTION_KEYS_PREVIOUS ?? '')
      .split(',')
      .filter(Boolean)
      .map((hex) => Buffer.from(hex, 'hex'));
    this.webDistDir = env.WEB_DIST_DIR ?? resolve(__dirname, '../../../web/dist');
  }

  static fromProcessEnv(overrides: Record<string, string | undefined> = {}): AppConfig {
    return new AppConfig(parseEnv({ ...process.env, ...overrides }));
  }
}
