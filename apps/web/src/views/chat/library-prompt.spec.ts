import type { Prompt } from '@modelyard/contracts';
import { missingVariables as missingFromError } from '@/api/prompts';
import { describe, expect, it } from 'vitest';
import { ApiError } from '@/api/http';
import {
  initialVariableValues,
  missingVariables,
  previewPrompt,
  rememberSentValues,
  sentValuesOf,
  toPendingPrompt,
} from './library-prompt';

const prompt = {
  id: '80000000-0000-4000-8000-000000000001',
  name: 'Translator',
  version: 2,
  content: 'Translate {{user_input}} into {{language}} in a {{tone}} tone. Today is {{current_date}}.',
  variables: [
    { name: 'language', description: 'Target language' },
    { name: 'tone', default: 'neutral' },
  ],
} as Prompt;

describe('library prompt form', () => {
  it('prefills defaults and keeps what was typed before', () => {
    expect(initialVariableValues(prompt)).toEqual({ language: '', tone: 'neutral' });
    expect(initialVariableValues(prompt, { language: 'French' })).toEqual({ language: 'French', tone: 'neutral' });
  });

  it('asks only for variables with neither a value nor a default; built-ins are the platform’s', () => {
    expect(missingVariables(prompt, { language: '', tone: '' })).toEqual(['language']);
    expect(missingVariables(prompt, { language: '  ', tone: '' })).toEqual(['language']);
    expect(missingVariables(prompt, { language: 'French', tone: '' })).toEqual([]);
  });

  it('previews with the values and defaults, leaving built-ins in braces', () => {
    expect(previewPrompt(prompt, { language: 'French', tone: '' })).toBe(
      'Translate {{user_input}} into French in a neutral tone. Today is {{current_date}}.',
    );
  });

  it('sends only the values given, so the server applies the defaults', () => {
    expect(toPendingPrompt(prompt, { language: 'French', tone: '' })).toEqual({
      promptId: prompt.id,
      name: 'Translator',
      version: 2,
      variables: { language: 'French' },
    });
  });

  it('reads the missing variable names of a PROMPT_VARIABLES_MISSING refusal', () => {
    const error = new ApiError({
      status: 400,
      code: 'PROMPT_VARIABLES_MISSING',
      message: 'missing',
      details: [
        { path: 'variables.language', message: 'is required' },
        { path: 'variables.tone', message: 'is required' },
        { path: ['content'], message: 'other' },
      ],
    });
    expect(missingFromError(error)).toEqual(['language', 'tone']);
    expect(missingFromError(new ApiError({ status: 429, code: 'TOO_MANY_GENERATIONS', message: '' }))).toBeNull();
  });
});

describe('the values a chat last sent its library prompt with', () => {
  it('are remembered per chat and prompt, for the prompt dialog to show again', () => {
    localStorage.clear();
    const pending = { promptId: 'p1', name: 'Translator', version: 2, variables: { language: 'French' } };
    rememberSentValues('s1', pending);
    expect(sentValuesOf('s1', 'p1')).toEqual({ language: 'French' });
    // Another chat, another prompt, or none: nothing to show.
    expect(sentValuesOf('s2', 'p1')).toEqual({});
    expect(sentValuesOf('s1', 'p2')).toEqual({});
    expect(sentValuesOf(null, 'p1')).toEqual({});
  });
});
