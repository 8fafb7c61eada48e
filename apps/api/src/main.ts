import 'reflect-metadata';
import { createApp } from './bootstrap/create-app';
import { loadConfigOrExit } from './config/load-config';
import { AdminBootstrapService } from './modules/auth/admin-bootstrap.service';
import { DemoSeedService } from './modules/model-configs/demo-seed.service';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApp(config);
  await app.get(AdminBootstrapService).ensureAdmin();
  await app.get(DemoSeedService).seed();
  // A deep accept queue: streamed answers keep connections open, and a burst of new ones (many users sending at
  // once while the process is busy) must wait in the kernel rather than be dropped (Node's default is 511; the
  // kernel caps it at net.core.somaxconn).
  await app.listen({ port: config.env.PORT, host: config.env.HOST, backlog: 4096 });
}

main().catch((error: unknown) => {
  console.error('Modelyard API failed to start:', error);
  process.exit(1);
});
