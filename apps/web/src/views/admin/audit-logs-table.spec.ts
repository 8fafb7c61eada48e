import { describe, expect, it } from 'vitest';
import en from '@/i18n/locales/en';
import zh from '@/i18n/locales/zh-CN';
import { AUDIT_ACTIONS, auditActionKey, shortTarget } from './audit-logs-table';

const lookup = (messages: unknown, key: string) =>
  key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);

describe('audit log table', () => {
  it('names every recorded action in both languages', () => {
    for (const action of AUDIT_ACTIONS) {
      expect(lookup(en, auditActionKey(action)), action).toEqual(expect.any(String));
      expect(lookup(zh, auditActionKey(action)), action).toEqual(expect.any(String));
    }
  });

  it('shows a target by its kind in words and its name, or a short id once it is gone', () => {
    const entry = { targetType: 'team', targetId: 'b93e4ba0-0000-4000-8000-000000000001' };
    expect(shortTarget(entry, '团队')).toBe('团队 · b93e4ba0…');
    expect(shortTarget({ targetType: 'settings', targetId: null }, 'Settings')).toBe('Settings');
    expect(shortTarget({ ...entry, targetLabel: 'Research' }, 'Team')).toBe('Team · Research');
  });
});
