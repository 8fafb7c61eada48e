import type { Prompt } from '@modelyard/contracts';

/** A private prompt of makeUser()'s user with one variable; tests override what they are about. */
export function makePrompt(overrides: Partial<Prompt> = {}): Prompt {
  return {
    id: '10000000-0000-4000-8000-000000000001',
    name: 'Reviewer',
    content: 'Review {{code}}.',
    description: 'Reviews code',
    category: 'coding',
    tags: ['review'],
    visibility: 'private',
    teamId: null,
    teamName: null,
    variables: [{ name: 'code' }],
    builtins: [],
    warnings: [],
    version: 1,
    labels: {},
    usageCount: 0,
    lastUsedAt: null,
    official: false,
    isFavorite: false,
    ownerId: '00000000-0000-4000-8000-000000000001',
    ownerName: 'Ada',
    canEdit: true,
    canDelete: true,
    canShare: true,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}
