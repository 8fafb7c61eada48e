import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ZodValidationPipe } from 'nestjs-zod';
import { JwtAuthGuard } from './common/auth/jwt-auth.guard';
import { RolesGuard } from './common/auth/roles.guard';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { loggerOptions } from './common/logging/logger.options';
import { QueueModule } from './common/queue/queue.module';
import { RedisModule } from './common/redis/redis.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { ArenaModule } from './modules/arena/arena.module';
import { AuditModule } from './modules/audit/audit.module';
import { AuthModule } from './modules/auth/auth.module';
import { ChatModule } from './modules/chat/chat.module';
import { CompareModule } from './modules/compare/compare.module';
import { CompareBatchesModule } from './modules/compare-batches/compare-batches.module';
import { HealthModule } from './modules/health/health.module';
import { ModelConfigsModule } from './modules/model-configs/model-configs.module';
import { PromptsModule } from './modules/prompts/prompts.module';
import { ProvidersModule } from './modules/providers/providers.module';
import { SettingsModule } from './modules/settings/settings.module';
import { TeamsModule } from './modules/teams/teams.module';
import { UsersModule } from './modules/users/users.module';
import { RequestInputPipe } from './common/http/request-input.pipe';

/** Infrastructure shared by the HTTP app and the queue worker. */
export function coreImports(config: AppConfig) {
  return [
    ConfigModule.forRoot(config),
    LoggerModule.forRoot(loggerOptions(config)),
    DatabaseModule,
    RedisModule,
    QueueModule,
  ];
}

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...coreImports(config),
        HealthModule,
        AuthModule,
        UsersModule,
        AuditModule,
        SettingsModule,
        ProvidersModule,
        ModelConfigsModule,
        ChatModule,
        TeamsModule,
        PromptsModule,
        CompareModule,
        ArenaModule,
        CompareBatchesModule,
      ],
      providers: [
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        // In this order: the input pipe's rules (NUL characters, a missing body) come before the schemas.
        { provide: APP_PIPE, useClass: RequestInputPipe },
        { provide: APP_PIPE, useClass: ZodValidationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
