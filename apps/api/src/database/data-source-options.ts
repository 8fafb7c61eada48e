import { migrations } from '@modelyard/migrations';
import type { DataSourceOptions } from 'typeorm';
import { AuditLogEntity } from '../modules/audit/audit-log.entity';
import { RefreshTokenEntity } from '../modules/auth/refresh-token.entity';
import { SettingEntity } from '../modules/settings/setting.entity';
import { UserEntity } from '../modules/users/user.entity';

export const entities = [UserEntity, RefreshTokenEntity, SettingEntity, AuditLogEntity];

export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    // Fail fast when the database is down so /api/health can answer 503 instead of hanging.
    extra: { max: 20, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30000 },
  };
}
