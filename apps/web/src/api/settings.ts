import type { PublicSettings, Settings, UpdateSettingsInput } from '@modelyard/contracts';
import { http } from './http';

export const settingsApi = {
  /** Anonymous: what the login and register pages need to know. */
  getPublic: () => http.get<PublicSettings>('/settings/public', { silent: true }),
  /** Admin only. */
  get: (opts: { silent?: boolean } = {}) => http.get<Settings>('/admin/settings', opts),
  update: (input: UpdateSettingsInput) => http.patch<Settings>('/admin/settings', input),
};
