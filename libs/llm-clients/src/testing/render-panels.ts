import type { LlmStreamEvent } from '../types';

/** What a streaming chat UI ends up showing: deltas append, a reclassify replaces both panels. */
export function renderPanels(events: readonly LlmStreamEvent[]): { reasoning: string; content: string } {
  let reasoning = '';
  let content = '';
  for (const event of events) {
    if (event.type === 'reasoning') reasoning += event.text;
    else if (event.type === 'content') content += event.text;
    else if (event.type === 'reclassify') ({ reasoning, content } = event);
  }
  return { reasoning, content };
}
