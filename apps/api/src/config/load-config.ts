import { AppConfig } from './app-config';
import { ConfigError } from './config.schema';

/** For entry points: a bad environment prints every offending variable and exits 1, without a stack trace. */
export function loadConfigOrExit(): AppConfig {
  try {
    return AppConfig.fromProcessEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
