import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { MaintenanceProcessor } from './maintenance.processor';

/** Loaded only by the worker process (worker.ts): the API enqueues, the worker processes. */
@Module({ imports: [AuthModule], providers: [MaintenanceProcessor] })
export class MaintenanceModule {}
