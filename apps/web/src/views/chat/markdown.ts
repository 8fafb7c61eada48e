import DOMPurify, { type Config, type DOMPurify as Purifier } from 'dompurify';
import { Marked, type MarkedExtension, type Tokens, type TokenizerAndRendererExtension } from 'marked';
import { escapeHtml } from '@/app/escape-html';

/**
 * Model answers as HTML: Markdown by `marked`, then sanitised by DOMPurify. A model's text is untrusted input, so
 *  - raw HTML in it is shown as text, never interpreted (a `<script>` or an `onerror=` stays visible and inert);
 *  - links and images keep only http(s), mailto and relative addresses (a `javascript:` link becomes its text), and
 *    links open in a new tab without handing it `window.opener` or a referrer;
 *  - DOMPurify cleans the result anyway, as a second line of defence.
 * Syntax highlighting (highlight.js) and math (KaTeX) are optional add-ons the page loads lazily: until they are
 * there, code renders plain and math as its TeX source.
 */

export interface MarkdownAddons {
  /** Highlighted HTML for `code`, or null when the language is unknown. */
  highlight?: (code: string, language: string) => string | null;
  /** Typeset TeX; `displayMode` for a block. */
  renderMath?: (tex: string, displayMode: boolean) => string;
}

export interface MarkdownOptions {
  addons?: MarkdownAddons;
  /** The label of the copy button on code blocks (in the UI language). */
  copyLabel?: string;
}

const SAFE_SCHEMES = new Set(['http', 'https', 'mailto']);

/** True for http(s), mailto and scheme-less (relative, #fragment) addresses. */
export function isSafeHref(href: string): boolean {
  // Browsers ignore control characters and spaces inside a scheme ("java\tscript:"), so the check does too.
  // eslint-disable-next-line no-control-regex
  const compact = href.replace(/[\u0000-\u0020\u007f-\u009f]/g, '').toLowerCase();
  const scheme = /^([a-z][a-z0-9+.-]*):/.exec(compact);
  return !scheme || SAFE_SCHEMES.has(scheme[1]!);
}

/* ---------------------------------------------------------------- math */

// $…$ must not start or end with a space and not be followed by a digit, so "$5 and $10" stays text.
const INLINE_MATH = [/^\$\$([^$]+?)\$\$/, /^\$(?!\s)((?:\\.|[^\\$\n])+?)(?<!\s)\$(?!\d)/, /^\\\(([\s\S]+?)\\\)/];
const BLOCK_MATH = [/^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/, /^ {0,3}\\\[([\s\S]+?)\\\][ \t]*(?:\n+|$)/];

interface MathToken extends Tokens.Generic {
  type: 'mathBlock' | 'mathInline';
  raw: string;
  tex: string;
  display: boolean;
}

function mathExtension(render: (tex: string, display: boolean, raw: string) => string): MarkedExtension {
  const block: TokenizerAndRendererExtension = {
    name: 'mathBlock',
    level: 'block',
    start: (src) => {
      const index = src.search(/\$\$|\\\[/);
      return index < 0 ? undefined : index;
    },
    tokenizer: (src) => {
      for (const pattern of BLOCK_MATH) {
        const match = pattern.exec(src);
        if (match) return { type: 'mathBlock', raw: match[0], tex: match[1]!.trim(), display: true } as MathToken;
      }
      return undefined;
    },
    renderer: (token) => render((token as MathToken).tex, true, token.raw),
  };
  const inline: TokenizerAndRendererExtension = {
    name: 'mathInline',
    level: 'inline',
    start: (src) => {
      const index = src.search(/\$|\\\(/);
      return index < 0 ? undefined : index;
    },
    tokenizer: (src) => {
      for (const pattern of INLINE_MATH) {
        const match = pattern.exec(src);
        if (match) {
          const display = match[0].startsWith('$$');
          return { type: 'mathInline', raw: match[0], tex: match[1]!.trim(), display } as MathToken;
        }
      }
      return undefined;
    },
    renderer: (token) => render((token as MathToken).tex, (token as MathToken).display, token.raw),
  };
  return { extensions: [block, inline] };
}

/* ------------------------------------------------------------- rendering */

/** Markdown headings go this many levels down: the page has its h1, a conversation or panel its h2. */
const HEADING_SHIFT = 2;

// The options of the render in progress; `marked.parse` is synchronous, so one module-level slot is enough.
let active: MarkdownOptions = {};

function codeLanguage(lang: string | undefined): string {
  return (lang ?? '').trim().split(/\s+/)[0]!.toLowerCase();
}

const marked = new Marked(
  { gfm: true, breaks: false, async: false },
  mathExtension((tex, display, raw) => {
    const typeset = active.addons?.renderMath;
    if (typeset) return display ? `<div class="md-math">${typeset(tex, true)}</div>` : typeset(tex, display);
    const tag = display ? 'div' : 'span';
    return `<${tag} class="md-math-pending">${escapeHtml(raw)}</${tag}>`;
  }),
  {
    renderer: {
      // A model's "# Title" sits under the page's own headings: levels start at h3 (the class keeps the look).
      heading({ tokens, depth }) {
        const level = Math.min(depth + HEADING_SHIFT, 6);
        return `<h${level} class="md-h${depth}">${this.parser.parseInline(tokens)}</h${level}>\n`;
      },
      html: (token) =>
        'block' in token && token.block ? `<p>${escapeHtml(token.text.trim())}</p>\n` : escapeHtml(token.text),
      code: ({ text, lang }) => {
        const language = codeLanguage(lang);
        const highlighted = language ? (active.addons?.highlight?.(text, language) ?? null) : null;
        const classes = `hljs${language ? ` language-${escapeHtml(language)}` : ''}`;
        const label = escapeHtml(active.copyLabel ?? 'Copy');
        return (
          `<div class="md-code"><div class="md-code__bar"><span class="md-code__lang">${escapeHtml(language || 'text')}</span>` +
          `<button type="button" class="md-code__copy" data-code-copy>${label}</button></div>` +
          `<pre><code class="${classes}">${highlighted ?? escapeHtml(text)}</code></pre></div>\n`
        );
      },
      // A task list's boxes as marks (form controls are not let through): done and open stay told apart.
      checkbox: ({ checked }) =>
        `<span class="md-task${checked ? ' md-task--done' : ''}">${checked ? '☑' : '☐'}</span>`,
      link(token) {
        const text = this.parser.parseInline(token.tokens);
        if (!isSafeHref(token.href)) return text;
        const title = token.title ? ` title="${escapeHtml(token.title)}"` : '';
        return `<a href="${escapeHtml(token.href)}"${title} target="_blank" rel="noopener noreferrer">${text}</a>`;
      },
      image: ({ href, title, text }) => {
        if (!isSafeHref(href) || href.trim() === '') return escapeHtml(text);
        const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
        return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${titleAttr} loading="lazy">`;
      },
    },
  },
);

let purifier: Purifier | null = null;

const SANITIZE: Config = {
  USE_PROFILES: { html: true, mathMl: true, svg: true },
  ADD_ATTR: ['target'],
  FORBID_TAGS: ['style', 'form', 'input', 'textarea', 'select', 'iframe', 'object', 'embed', 'link', 'meta'],
};

function sanitizer(): Purifier {
  if (purifier) return purifier;
  purifier = DOMPurify(window);
  // Every surviving link opens in a new tab that cannot reach back to this one.
  purifier.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A' && node.hasAttribute('href')) {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    } else if (node.tagName === 'A') {
      node.removeAttribute('target');
    }
  });
  return purifier;
}

export function sanitizeHtml(html: string): string {
  return sanitizer().sanitize(html, SANITIZE) as string;
}

/** Markdown to safe HTML. */
export function renderMarkdown(source: string, options: MarkdownOptions = {}): string {
  if (!source) return '';
  active = options;
  try {
    return sanitizeHtml(marked.parse(source) as string);
  } finally {
    active = {};
  }
}

/** Whether `source` has something only an add-on renders well, so the page knows what to load. */
export function neededAddons(source: string): { highlight: boolean; math: boolean } {
  return {
    highlight: /(^|\n) {0,3}(```|~~~)/.test(source),
    math: /\$[^$\s]|\\\(|\\\[/.test(source),
  };
}

/* ----------------------------------------------------- streaming renders */

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^([*+-]|\d{1,9}[.)])(\s|$)/;

function closesFence(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.length >= fence.length && trimmed.startsWith(fence) && new Set(trimmed).size === 1;
}

/**
 * How much of `text` (from `from`, where a block starts) is made of finished top-level blocks: the length up to
 * the start of the last block that begins after a blank line, outside code fences and $$ math. Text up to there
 * renders the same however the answer continues, so it need not be parsed again. A block must start at column 0
 * and not be a list item: an indented line or a list item after a blank line may still belong to the block before.
 */
export function settledLength(text: string, from = 0): number {
  let settled = from;
  let fence: string | null = null;
  let inMath = false;
  let previousBlank = false;
  let position = from;
  for (;;) {
    const end = text.indexOf('\n', position);
    if (end < 0) break; // the last line may still be growing
    const line = text.slice(position, end);
    const trimmed = line.trim();
    if (fence) {
      if (closesFence(line, fence)) fence = null;
    } else if (inMath) {
      if (trimmed.endsWith('$$')) inMath = false;
    } else {
      const blank = trimmed === '';
      if (!blank && previousBlank && /^\S/.test(line) && !LIST_ITEM.test(line)) settled = position;
      const open = FENCE_OPEN.exec(line);
      if (open) fence = open[1]!;
      else if (trimmed.startsWith('$$') && !(trimmed.length >= 4 && trimmed.endsWith('$$'))) inMath = true;
      previousBlank = blank;
    }
    position = end + 1;
  }
  return settled;
}

export interface IncrementalRender {
  /** Finished blocks: their HTML never changes, so the page can keep their DOM as it is. */
  blocks: readonly string[];
  /** The block still growing, rendered again on each update. */
  tail: string;
}

/**
 * Renders a streaming answer without parsing all of it on every update: finished blocks are rendered once and kept;
 * only the last, growing block is rendered again (with `renderTail`, if it should differ). A text that does not
 * continue the previous one (a `reclassify` rewrote it) starts over.
 */
export class IncrementalMarkdown {
  private source = '';
  private blocks: string[] = [];

  constructor(
    private readonly render: (source: string) => string,
    private readonly renderTail: (source: string) => string = render,
  ) {}

  update(text: string): IncrementalRender {
    if (!text.startsWith(this.source)) {
      this.source = '';
      this.blocks = [];
    }
    const settled = settledLength(text, this.source.length);
    if (settled > this.source.length) {
      this.blocks = [...this.blocks, this.render(text.slice(this.source.length, settled))];
      this.source = text.slice(0, settled);
    }
    return { blocks: this.blocks, tail: this.renderTail(text.slice(settled)) };
  }
}

/** A small least-recently-used cache, for the HTML of finished messages (scrolling back must not re-parse them). */
export class RenderCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly limit = 300) {}

  get(key: string): string | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: string): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }
}
