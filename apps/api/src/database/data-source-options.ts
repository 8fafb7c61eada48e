import { migrations } from '@modelyard/migrations';
import type { DataSourceOptions } from 'typeorm';
import { AuditLogEntity } from '../modules/audit/audit-log.entity';
import { ChatMessageEntity } from '../modules/chat/chat-message.entity';
import { ChatSessionEntity } from '../modules/chat/chat-session.entity';
import { ModelConfigEntity } from '../modules/model-configs/model-config.entity';
import { ProviderEntity } from '../modules/providers/provider.entity';
import { RefreshTokenEntity } from '../modules/auth/refresh-token.entity';
import { SettingEntity } from '../modules/settings/setting.entity';
import { UserEntity } from '../modules/users/user.entity';

export const entities = [
  UserEntity,
  RefreshTokenEntity,
  SettingEntity,
  AuditLogEntity,
  ProviderEntity,
  ModelConfigEntity,
  ChatSessionEntity,
  ChatMessageEntity,
];

export function dataSourceOptions(databaseUrl: string, poolSize = 30): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    // Fail fast when the database is down so /api/health can answer 503 instead of hanging.
    extra: { max: poolSize, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30000 },
  };
}
