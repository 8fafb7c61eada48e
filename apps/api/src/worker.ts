import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from './config/load-config';
import { WorkerModule } from './worker.module';

/** The queue worker: same modules and config as the API, no HTTP. SIGTERM closes workers gracefully. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  app.get(Logger).log('queue worker started');
}

main().catch((error: unknown) => {
  console.error('Modelyard worker failed to start:', error);
  process.exit(1);
});
