import { type DynamicModule, Module } from '@nestjs/common';
import { coreImports } from './app.module';
import { AppConfig } from './config/app-config';
import { CompareBatchesWorkerModule } from './modules/compare-batches/compare-batches.module';
import { MaintenanceModule } from './modules/maintenance/maintenance.module';

/** The same modules as the API, started as BullMQ processors instead of HTTP routes. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: WorkerModule, imports: [...coreImports(config), MaintenanceModule, CompareBatchesWorkerModule] };
  }
}
