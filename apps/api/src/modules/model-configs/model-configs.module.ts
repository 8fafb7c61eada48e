import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { ProvidersModule } from '../providers/providers.module';
import { UsersModule } from '../users/users.module';
import { DemoSeedService } from './demo-seed.service';
import { ModelConfigEntity } from './model-config.entity';
import { ModelConfigsController } from './model-configs.controller';
import { ModelConfigsRepository } from './model-configs.repository';
import { ModelConfigsService } from './model-configs.service';

@Module({
  imports: [TypeOrmModule.forFeature([ModelConfigEntity]), ProvidersModule, UsersModule, AuditModule],
  controllers: [ModelConfigsController],
  providers: [ModelConfigsRepository, ModelConfigsService, DemoSeedService],
  exports: [ModelConfigsService, ModelConfigsRepository, DemoSeedService],
})
export class ModelConfigsModule {}
