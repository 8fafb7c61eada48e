import '@/test-utils/happy-dom-node-name';
import { describe, expect, it } from 'vitest';
import { IncrementalMarkdown, isSafeHref, neededAddons, renderMarkdown, settledLength } from './markdown';

/** Parses rendered HTML the way the page shows it. */
function dom(html: string): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = html;
  return root;
}

const XSS = [
  'Here is **bold** text with a [safe link](https://example.com) and a [dangerous link](javascript:alert(1)).',
  '',
  '<script>alert(1)</script>',
  '',
  'An image: <img src=x onerror=alert(1)>',
  '',
  '[spaced](java\tscript:alert(1)) [data](data:text/html,<script>alert(1)</script>)',
  '',
  '```html',
  '<script>alert("inside a code block")</script>',
  '```',
].join('\n');

describe('markdown rendering', () => {
  it('never produces a script element, an event handler or a javascript: link', () => {
    const root = dom(renderMarkdown(XSS));
    expect(root.querySelectorAll('script')).toHaveLength(0);
    expect(root.querySelectorAll('img')).toHaveLength(0);
    for (const element of root.querySelectorAll('*')) {
      for (const attribute of element.attributes) expect(attribute.name.startsWith('on'), attribute.name).toBe(false);
    }
    for (const link of root.querySelectorAll('a')) expect(link.getAttribute('href')).toMatch(/^https?:/);
    // The raw HTML is shown as text: the user sees what the model wrote.
    expect(root.textContent).toContain('<script>alert(1)</script>');
    expect(root.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(root.textContent).toContain('dangerous link');
  });

  it('opens links in a new tab without opener or referrer', () => {
    const link = dom(renderMarkdown('[docs](https://example.com/docs "Docs")')).querySelector('a')!;
    expect(link.getAttribute('href')).toBe('https://example.com/docs');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it("puts a model's headings under the page's own (h1 and h2 are the page's), keeping their level as a class", () => {
    const html = dom(renderMarkdown('# Title\n\n## Part *one*\n\n###### Deep'));
    const headings = [...html.querySelectorAll('h1, h2, h3, h4, h5, h6')];
    expect(headings.map((h) => [h.tagName, h.className, h.textContent])).toEqual([
      ['H3', 'md-h1', 'Title'],
      ['H4', 'md-h2', 'Part one'],
      ['H6', 'md-h6', 'Deep'],
    ]);
  });

  it('tells done and open tasks of a task list apart, without letting form controls through', () => {
    const root = dom(renderMarkdown('- [ ] write tests\n- [x] ship it'));
    const items = [...root.querySelectorAll('li')];
    expect(items.map((li) => li.textContent?.trim())).toEqual(['☐ write tests', '☑ ship it']);
    expect(items[1]!.querySelector('.md-task--done')).not.toBeNull();
    expect(items[0]!.querySelector('.md-task--done')).toBeNull();
    expect(root.querySelector('input')).toBeNull();
  });

  it('keeps code blocks as text, with their language and a copy button', () => {
    const root = dom(renderMarkdown(XSS, { copyLabel: 'Copy code' }));
    const code = root.querySelector('pre code')!;
    expect(code.textContent).toBe('<script>alert("inside a code block")</script>');
    expect(code.className).toContain('language-html');
    expect(root.querySelector('[data-code-copy]')!.textContent).toBe('Copy code');
    expect(root.querySelector('.md-code__lang')!.textContent).toBe('html');
  });

  it('uses the highlighter and the math renderer when they are loaded, their source until then', () => {
    const text = 'Euler: $e^{i\\pi}+1=0$ costs $5 and $10\n\n```ts\nconst a = 1;\n```';
    const plain = dom(renderMarkdown(text));
    expect(plain.querySelector('.md-math-pending')!.textContent).toBe('$e^{i\\pi}+1=0$');
    expect(plain.textContent).toContain('costs $5 and $10');

    const rich = dom(
      renderMarkdown(text, {
        addons: {
          highlight: (code) => `<span class="hljs-keyword">${code.slice(0, 5)}</span>${code.slice(5)}`,
          renderMath: (tex, display) => `<span class="katex" data-display="${display}">${tex}</span>`,
        },
      }),
    );
    expect(rich.querySelector('.katex')!.textContent).toBe('e^{i\\pi}+1=0');
    expect(rich.querySelector('.hljs-keyword')!.textContent).toBe('const');
    expect(neededAddons(text)).toEqual({ highlight: true, math: true });
    expect(neededAddons('plain words, $ 5')).toEqual({ highlight: false, math: false });
  });

  it('accepts only safe link schemes', () => {
    for (const href of ['https://a.b', 'http://a.b', 'mailto:x@y.z', '/relative', '#frag', 'page.html']) {
      expect(isSafeHref(href), href).toBe(true);
    }
    for (const href of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'java\nscript:x',
      'data:text/html,x',
      'vbscript:x',
    ]) {
      expect(isSafeHref(href), href).toBe(false);
    }
  });
});

describe('streaming renders', () => {
  it('settles blocks only after a blank line, outside code fences, and not before list items or indented lines', () => {
    expect(settledLength('one\n\ntwo\n')).toBe(5);
    expect(settledLength('one\n\ntwo')).toBe(0); // the next block's first line is not complete yet
    expect(settledLength('one\n\n')).toBe(0);
    expect(settledLength('```\na\n\nb\n')).toBe(0);
    expect(settledLength('```\na\n\nb\n```\n\nafter\n')).toBe(14);
    expect(settledLength('- a\n\n- b\n')).toBe(0);
    expect(settledLength('para\n\n    indented\n')).toBe(0);
    expect(settledLength('$$\nx\n\ny\n$$\n\nz\n')).toBe(12);
  });

  it('renders the same HTML as a full render, parsing finished blocks once', () => {
    const calls: string[] = [];
    const renderer = new IncrementalMarkdown((source) => {
      calls.push(source);
      return renderMarkdown(source);
    });
    const full = '# Title\n\nFirst paragraph with **bold**.\n\n```js\nlet x = 1;\n\nx++;\n```\n\nLast words.';
    let result = renderer.update('');
    for (let i = 1; i <= full.length; i++) result = renderer.update(full.slice(0, i));
    expect(result.blocks.join('') + result.tail).toBe(renderMarkdown(full));
    expect(result.blocks).toHaveLength(2); // the title and the paragraph; the code block is the last block still
    // No update parsed the whole answer again: only the growing block, and each finished block once.
    expect(Math.max(...calls.map((source) => source.length))).toBeLessThan(full.length / 2);
    const titleSettled = calls.lastIndexOf('# Title\n\n');
    expect(calls.slice(titleSettled + 1).some((source) => source.includes('Title'))).toBe(false);
  });

  it('renders the growing block its own way, and finished ones the usual way', () => {
    const renderer = new IncrementalMarkdown(
      (source) => `[done:${source.length}]`,
      (source) => `[live:${source.length}]`,
    );
    expect(renderer.update('one\n\ntwo\n')).toEqual({ blocks: ['[done:5]'], tail: '[live:4]' });
  });

  it('starts over when the text was rewritten', () => {
    const renderer = new IncrementalMarkdown((source) => renderMarkdown(source));
    renderer.update('thinking aloud\n\nmore');
    const result = renderer.update('The answer');
    expect(result.blocks).toHaveLength(0);
    expect(result.tail).toBe('<p>The answer</p>\n');
  });
});
