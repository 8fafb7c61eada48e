import { Injectable } from '@nestjs/common';
import type { PublicSettings, Settings, UpdateSettingsInput } from '@modelyard/contracts';
import type { RequestMeta } from '../../common/auth/auth.decorators';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { SettingsRepository } from './settings.repository';

/** Platform-wide switches. Defaults come from the environment until an admin changes them. */
@Injectable()
export class SettingsService {
  constructor(
    private readonly settings: SettingsRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async get(): Promise<Settings> {
    const stored = await this.settings.all();
    const registrationOpen = stored.get('registrationOpen');
    return {
      registrationOpen: typeof registrationOpen === 'boolean' ? registrationOpen : this.config.env.REGISTRATION_OPEN,
    };
  }

  async getPublic(): Promise<PublicSettings> {
    const { registrationOpen } = await this.get();
    return { registrationOpen };
  }

  async update(actorId: string, changes: UpdateSettingsInput, meta: RequestMeta): Promise<Settings> {
    const before = await this.get();
    for (const [key, value] of Object.entries(changes)) {
      if (value !== undefined) await this.settings.upsert(key, value, actorId);
    }
    const after = await this.get();
    await this.audit.record({
      actorId,
      action: 'settings.updated',
      targetType: 'settings',
      targetId: null,
      before: { ...before },
      after: { ...after },
      meta,
    });
    return after;
  }
}
