import { afterEach, describe, expect, it, vi } from 'vitest';
import { i18n, messages, SUPPORTED_LOCALES } from './index';

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (message: string) => [...message.matchAll(/\{\s*(\w+)\s*\}/g)].map((m) => m[1]).sort();

const en = leaves(messages.en as unknown as Tree);
const zh = leaves(messages['zh-CN'] as unknown as Tree);

afterEach(() => {
  i18n.global.locale.value = 'en';
  vi.restoreAllMocks();
});

describe('i18n messages', () => {
  it('en and zh-CN have exactly the same keys', () => {
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
  });

  it('no message is empty', () => {
    for (const [key, value] of [...en, ...zh]) expect(value.trim(), key).not.toBe('');
  });

  it('each key uses the same placeholders in both languages', () => {
    for (const [key, value] of en) expect(placeholders(zh.get(key) ?? ''), key).toEqual(placeholders(value));
  });

  it.each(SUPPORTED_LOCALES)('every %s message compiles and renders without warnings', (locale) => {
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    i18n.global.locale.value = locale;
    const source = locale === 'en' ? en : zh;
    for (const [key, value] of source) {
      const named = Object.fromEntries(placeholders(value).map((name) => [name, `<${name}>`]));
      const rendered = i18n.global.t(key, named);
      expect(rendered, key).not.toBe(key);
      for (const name of Object.keys(named)) expect(rendered, key).toContain(`<${name}>`);
    }
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });

  it("renders a literal @ written as {'@'}", () => {
    expect(i18n.global.t('auth.fields.emailPlaceholder')).toBe('name@company.com');
  });
});
