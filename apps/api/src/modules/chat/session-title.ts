/** Instructions for the auto-titler: short, in the conversation's language, never from reasoning. */
export const TITLE_INSTRUCTIONS =
  'Write a title for the conversation below. Use the language of the conversation. At most 6 words, or at most ' +
  '10 characters for Chinese, Japanese or Korean. Reply with the title only: no quotes, no punctuation at the end, ' +
  'no explanation.';

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;

/** Trims a model's or a message's text to a title: first line, no markdown or quotes, ≤ 10 CJK chars or 6 words. */
export function toTitle(text: string): string {
  const line =
    text
      .replace(/<\/?(think|thinking|reasoning|thought)[^>]*>/gi, ' ')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0) ?? '';
  const cleaned = line
    .replace(/^(title|标题)\s*[:：]\s*/i, '')
    .replace(/^[#>*\-\s]+/, '')
    .replace(/[*_`]/g, '')
    .replace(/^["'“”‘’「」《》]+|["'“”‘’「」《》]+$/g, '')
    .replace(/[。.!！?？,，;；:：]+$/u, '')
    .trim();
  if (!cleaned) return '';
  const cjkCount = [...cleaned].filter((ch) => CJK.test(ch)).length;
  if (cjkCount > 0 && cjkCount >= [...cleaned].length / 3) return [...cleaned].slice(0, 10).join('').trim();
  return cleaned.split(/\s+/).slice(0, 6).join(' ').slice(0, 80);
}
