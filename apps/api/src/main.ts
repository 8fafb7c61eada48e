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
  await app.listen({ port: config.env.PORT, host: config.env.HOST });
}

main().catch((error: unknown) => {
  console.error('Modelyard API failed to start:', error);
  process.exit(1);
});
