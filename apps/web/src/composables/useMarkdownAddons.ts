import { computed, shallowRef } from 'vue';
import { type MarkdownAddons, neededAddons } from '@/views/chat/markdown';

/*
 * Syntax highlighting and math typesetting are big (highlight.js with its common languages, KaTeX with its fonts),
 * and most answers need neither. Each is loaded — as its own chunk — the first time an answer contains a code fence
 * or math; answers rendered before that are rendered again once it is there (`version` changes).
 */
const addons = shallowRef<MarkdownAddons>({});
let highlighter: Promise<void> | null = null;
let typesetter: Promise<void> | null = null;

function loadHighlighter(): void {
  highlighter ??= import('highlight.js/lib/common')
    .then(({ default: hljs }) => {
      addons.value = {
        ...addons.value,
        highlight: (code, language) =>
          hljs.getLanguage(language) ? hljs.highlight(code, { language, ignoreIllegals: true }).value : null,
      };
    })
    .catch(() => {
      highlighter = null; // plain code blocks meanwhile; the next answer with code tries again
    });
}

function loadTypesetter(): void {
  typesetter ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')])
    .then(([{ default: katex }]) => {
      addons.value = {
        ...addons.value,
        renderMath: (tex, displayMode) =>
          katex.renderToString(tex, { displayMode, throwOnError: false, strict: 'ignore', output: 'htmlAndMathml' }),
      };
    })
    .catch(() => {
      typesetter = null;
    });
}

export function useMarkdownAddons() {
  const version = computed(() => (addons.value.highlight ? 1 : 0) + (addons.value.renderMath ? 2 : 0));

  /** Starts loading what `source` needs (no-op once loaded). */
  function prepare(source: string): void {
    if (addons.value.highlight && addons.value.renderMath) return; // everything is there: skip the scan
    const needed = neededAddons(source);
    if (needed.highlight && !addons.value.highlight) loadHighlighter();
    if (needed.math && !addons.value.renderMath) loadTypesetter();
  }

  return { addons, version, prepare };
}
