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
    // How long a statement may wait for a pooled connection (or for a new one to open). Under a burst that wait is a
    // queue, and a chat answer that starts late beats a 503: with 5 s, an overloaded 2-core host failed 35 of 2,000
    // answers at 1,000 concurrent streams. A database that is down refuses connections at once; /api/health probes
    // with its own 2 s limit.
    extra: { max: poolSize, connectionTimeoutMillis: 20_000, idleTimeoutMillis: 30_000 },
  };
}
