import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DependencyState, HealthResponse } from '@modelyard/contracts';
import { DataSource } from 'typeorm';
import { CacheRepository } from '../../common/redis/cache.repository';

const PROBE_TIMEOUT_MS = 2000;

async function probe(check: () => Promise<unknown>): Promise<DependencyState> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS);
      }),
    ]);
    return 'up';
  } catch {
    return 'down';
  } finally {
    clearTimeout(timer);
  }
}

@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cache: CacheRepository,
  ) {}

  async check(): Promise<HealthResponse> {
    const [db, redis] = await Promise.all([probe(() => this.db.query('SELECT 1')), probe(() => this.cache.ping())]);
    return { status: db === 'up' && redis === 'up' ? 'ok' : 'degraded', db, redis };
  }
}
