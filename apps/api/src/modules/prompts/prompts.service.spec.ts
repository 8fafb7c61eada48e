import { describe, expect, it, vi } from 'vitest';
import { AppException } from '../../common/errors/app-exception';
import type { AuditService } from '../audit/audit.service';
import type { TeamsRepository } from '../teams/teams.repository';
import type { UsersRepository } from '../users/users.repository';
import type { PromptRow, PromptsRepository } from './prompts.repository';
import { freeName } from '../../common/names';
import { mergeVariables, PromptsService } from './prompts.service';

const row = (overrides: Partial<PromptRow> = {}): PromptRow => ({
  id: 'p1',
  ownerId: 'alice',
  ownerName: 'Alice',
  name: 'Translator',
  description: '',
  content: 'Translate {{text}} into {{lang}}',
  category: 'translation',
  tags: [],
  visibility: 'private',
  teamId: null,
  teamName: null,
  variables: [{ name: 'text' }, { name: 'lang', default: 'English' }],
  version: 3,
  official: false,
  usageCount: 0,
  lastUsedAt: null,
  createdAt: new Date(),
  updatedAt: new Date(),
  isFavorite: false,
  myTeamRole: null,
  ...overrides,
});

function setup(current: PromptRow) {
  const prompts = {
    find: vi.fn(async () => current),
    update: vi.fn(async () => undefined),
    labels: vi.fn(async () => new Map([[current.id, {}]])),
    nameTaken: vi.fn(async () => false),
    version: vi.fn(async (_id: string, version: number) =>
      version === 1
        ? { ...current, version: 1, content: 'Old {{text}}', changeNote: null, authorId: 'alice', authorName: 'Alice' }
        : null,
    ),
  };
  const service = new PromptsService(
    prompts as unknown as PromptsRepository,
    { roleOf: vi.fn(async () => null) } as unknown as TeamsRepository,
    { findById: vi.fn(async () => ({ nickname: 'Alice' })) } as unknown as UsersRepository,
    { record: vi.fn() } as unknown as AuditService,
  );
  return { service, prompts };
}

const alice = { id: 'alice', role: 'user' as const };

describe('PromptsService.update', () => {
  it('makes a new version when the content changes, keeping variable metadata that still applies', async () => {
    const { service, prompts } = setup(row());
    await service.update(alice, 'p1', {
      content: 'Translate {{text}} into {{lang}} in a {{tone}} tone',
      changeNote: 'tone',
    });
    expect(prompts.update).toHaveBeenCalledWith(
      'p1',
      {},
      {
        content: 'Translate {{text}} into {{lang}} in a {{tone}} tone',
        variables: [{ name: 'text' }, { name: 'lang', default: 'English' }, { name: 'tone' }],
        changeNote: 'tone',
        authorId: 'alice',
      },
    );
  });

  it('changes metadata without a new version', async () => {
    const { service, prompts } = setup(row());
    await service.update(alice, 'p1', { name: 'Translator v2', tags: ['lang'] });
    expect(prompts.update).toHaveBeenCalledWith('p1', { name: 'Translator v2', tags: ['lang'] }, null);
  });

  it('refuses edits from a reader who may not edit, with 403, and changes nothing', async () => {
    const { service, prompts } = setup(row({ visibility: 'public' }));
    await expect(service.update({ id: 'bob', role: 'user' }, 'p1', { content: 'x' })).rejects.toMatchObject({
      statusCode: 403,
      code: 'PROMPT_READ_ONLY',
    });
    expect(prompts.update).not.toHaveBeenCalled();
  });

  it('answers 404 for a private prompt of someone else', async () => {
    const { service } = setup(row());
    const error = await service.get({ id: 'bob', role: 'user' }, 'p1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppException);
    expect(error).toMatchObject({ statusCode: 404, code: 'PROMPT_NOT_FOUND' });
  });
});

describe('PromptsService.restore', () => {
  it('restores an old version as a new one with a note saying so', async () => {
    const { service, prompts } = setup(row());
    await service.restore(alice, 'p1', 1);
    expect(prompts.update).toHaveBeenCalledWith(
      'p1',
      {},
      expect.objectContaining({
        content: 'Old {{text}}',
        changeNote: 'Restored version 1',
      }),
    );
  });
});

describe('PromptsService.renderForUse', () => {
  it('fills built-ins from the platform and user_input from the chat message', async () => {
    const { service } = setup(row({ content: '{{user_name}} asks: {{user_input}} ({{lang}})' }));
    const rendered = await service.renderForUse(alice, 'p1', {}, { user_name: 'spoofed' }, 'UTC', 'bonjour');
    expect(rendered).toMatchObject({ text: 'Alice asks: bonjour (English)', missing: [], version: 3 });
  });
});

describe('mergeVariables and freeName', () => {
  it('keeps exactly the variables the content uses, built-ins excluded', () => {
    expect(
      mergeVariables(
        '{{a}} {{current_date}} {{b}}',
        [{ name: 'b', description: 'B', default: '' }],
        [{ name: 'a', default: 'A' }],
      ),
    ).toEqual([{ name: 'a' }, { name: 'b', description: 'B' }]);
    expect(mergeVariables('{{a}}', undefined, [{ name: 'a', default: 'A' }])).toEqual([{ name: 'a', default: 'A' }]);
  });

  it('finds the first free name, case-insensitively', () => {
    expect(freeName('Mail', new Set(['other']), 100)).toBe('Mail');
    expect(freeName('Mail', new Set(['mail', 'mail (2)']), 100)).toBe('Mail (3)');
  });
});
