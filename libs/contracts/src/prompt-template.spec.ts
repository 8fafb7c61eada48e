import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  builtinDateValues,
  extractVariables,
  renderTemplate,
  templateWarnings,
  PROMPT_CONTENT_WARN,
} from './prompt-template';

describe('extractVariables', () => {
  it('finds each variable once, in order, with or without spaces inside the braces', () => {
    expect(extractVariables('Hi {{name}}, {{ topic }} and {{name}} again; {{  tone\t}}')).toEqual([
      'name',
      'topic',
      'tone',
    ]);
  });

  it('accepts names in any script and with dots or hyphens', () => {
    expect(extractVariables('{{主题}} {{user.city}} {{target-language}} {{_x}}')).toEqual([
      '主题',
      'user.city',
      'target-language',
      '_x',
    ]);
  });

  it('ignores escaped braces and braces around something that is not a name', () => {
    expect(extractVariables('\\{{literal}} {{two words}} {{}} {{1st}} {{ok}}')).toEqual(['ok']);
  });
});

describe('renderTemplate', () => {
  it('fills values, falls back to defaults, and reports what is still missing', () => {
    const result = renderTemplate(
      'Translate {{text}} into {{ lang }} for {{audience}}.',
      { text: 'hello' },
      {
        lang: 'French',
      },
    );
    expect(result).toEqual({ text: 'Translate hello into French for {{audience}}.', missing: ['audience'] });
  });

  it('finds only values and defaults given, never what every object inherits', () => {
    const template = 'A {{constructor}} B {{toString}} C {{__proto__}} D {{hasOwnProperty}}';
    expect(renderTemplate(template, {}, {})).toEqual({
      text: template,
      missing: ['constructor', 'toString', '__proto__', 'hasOwnProperty'],
    });
    const given = JSON.parse('{"__proto__": "x", "toString": "y"}') as Record<string, string>;
    expect(renderTemplate(template, given, { constructor: 'z' }).text).toBe('A z B y C x D {{hasOwnProperty}}');
  });

  it('treats an empty value as not given', () => {
    expect(renderTemplate('{{a}}', { a: '' }, { a: 'fallback' }).text).toBe('fallback');
    expect(renderTemplate('{{a}}', { a: '' }).missing).toEqual(['a']);
  });

  it('writes an escaped \\{{ as a literal {{ and never re-renders inserted values', () => {
    expect(renderTemplate('\\{{name}} is {{name}}', { name: '{{evil}}' })).toEqual({
      text: '{{name}} is {{evil}}',
      missing: [],
    });
  });

  it('reads a long unclosed or space-filled brace run in linear time', () => {
    const crafted = `{{a${' '.repeat(200_000)}x`;
    const started = performance.now();
    expect(extractVariables(crafted)).toEqual([]);
    expect(extractVariables(`{{${' '.repeat(200_000)}}}`)).toEqual([]);
    expect(renderTemplate(crafted, {}).text).toBe(crafted);
    // Quadratic, this was minutes; linear, it is a few milliseconds (a generous bound against a busy machine).
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(extractVariables('{{  topic\t}} and {{{x}}}')).toEqual(['topic', 'x']);
  });

  it('stops at the length it is given and says the text was cut', () => {
    const many = '{{x}}'.repeat(4000);
    const result = renderTemplate(many, { x: 'y'.repeat(10_000) }, {}, 100_000);
    expect(result.tooLong).toBe(true);
    expect(result.text).toHaveLength(100_000);
    expect(renderTemplate('{{x}}!', { x: 'hi' }, {}, 100).tooLong).toBeUndefined();
  });

  it('leaves text without variables untouched, whatever it contains', () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes('{{')),
        (text) => {
          expect(renderTemplate(text, {})).toEqual({ text, missing: [] });
        },
      ),
    );
  });

  it('renders every detected variable when all have values', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), name)), fc.string(), (parts, tail) => {
        const template =
          parts.map(([text, variable]) => `${text.replace(/[{}\\]/g, '')}{{${variable}}}`).join('') +
          tail.replace(/[{}\\]/g, '');
        const values = Object.fromEntries(extractVariables(template).map((v) => [v, 'X']));
        const result = renderTemplate(template, values);
        expect(result.missing).toEqual([]);
        expect(result.text).not.toContain('{{');
      }),
    );
  });
});

describe('templateWarnings', () => {
  it('flags names that look like built-ins but are not, and long content', () => {
    const warnings = templateWarnings(`{{current_datetime}} {{current_date}} {{user_email}} {{topic}}`);
    expect(warnings.map((w) => [w.code, w.variable])).toEqual([
      ['UNKNOWN_BUILTIN', 'current_datetime'],
      ['UNKNOWN_BUILTIN', 'user_email'],
    ]);
    expect(templateWarnings('x'.repeat(PROMPT_CONTENT_WARN + 1)).map((w) => w.code)).toEqual(['CONTENT_LONG']);
    expect(templateWarnings('x'.repeat(PROMPT_CONTENT_WARN))).toEqual([]);
  });
});

describe('builtinDateValues', () => {
  it('formats the date and time in the given zone, and in UTC for an unknown zone', () => {
    const instant = new Date('2026-01-31T23:30:00Z');
    expect(builtinDateValues(instant, 'Asia/Shanghai')).toEqual({ current_date: '2026-02-01', current_time: '07:30' });
    expect(builtinDateValues(instant, 'Not/AZone')).toEqual({ current_date: '2026-01-31', current_time: '23:30' });
  });
});
