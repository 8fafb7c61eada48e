import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SettingEntity } from './setting.entity';

@Injectable()
export class SettingsRepository {
  constructor(@InjectRepository(SettingEntity) private readonly repo: Repository<SettingEntity>) {}

  async all(): Promise<Map<string, unknown>> {
    const rows = await this.repo.find();
    return new Map(rows.map((row) => [row.key, row.value]));
  }

  async upsert(key: string, value: unknown, updatedBy: string | null): Promise<void> {
    await this.repo.upsert({ key, value: value as object, updatedBy }, ['key']);
  }
}
