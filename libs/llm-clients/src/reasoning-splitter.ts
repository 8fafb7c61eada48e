/**
 * Turns an adapter's raw stream into the thinking / answer split the chat UI shows.
 *
 * Reasoning reaches us in two ways: native fields (reasoning_content, Ollama's message.thinking, Anthropic thinking
 * blocks), which adapters already yield as `reasoning` events, and inline tags such as `<think>…</think>` at the
 * start of plain content. Tags arrive cut at arbitrary chunk boundaries, so the splitter holds back only the tail
 * that could still grow into a tag and emits everything else at once: the user sees tokens as they come, and never
 * sees a tag fragment flicker into the answer.
 *
 * Choices where the product spec leaves room (the tests pin each of them):
 * - Leading whitespace is dropped only where a tag decides the phase: before an opening tag, right after an
 *   opening or closing tag (and in `startsInReasoning` mode at the start of reasoning). An answer without tags
 *   keeps its leading whitespace, so a tagless stream comes out exactly as it went in.
 * - An orphan closing tag turns the text before it into reasoning, leading whitespace trimmed. When that text is
 *   empty (`</think>answer`) nothing was shown yet, so no `reclassify` is sent; the orphan is still reported.
 * - A closing tag with no opening one ends reasoning in `startsInReasoning` mode too, and is reported as an
 *   orphan there as well: the caller's learned setting stays confirmed. If the model opened the tag explicitly,
 *   nothing is reported.
 * - `startsInReasoning` and the stream ends before a closing tag: if the model ran out of tokens (finish reason
 *   `length` / `max_tokens`) or failed, everything stays reasoning, like an unclosed `<think>`: re-labelling it
 *   would show a wall of half-finished thoughts as if it were the reply. If it finished on its own, it did not
 *   think this time (the setting was learned from a tag it only mentioned, or the template changed): one
 *   `reclassify` with empty reasoning makes the whole text the answer, and tells the caller to unlearn.
 * - Native reasoning after inline reasoning has already been shown (only possible with `startsInReasoning`):
 *   what was shown stays reasoning; held-back text goes to the phase it was in; from then on content is plain.
 * - Tags mode `off` ignores `startsInReasoning`: with no tags, nothing could ever end the reasoning phase.
 * - An opening tag anywhere in the answer (kept as content) rules out a later orphan close: the model is
 *   talking about tags, not closing a block the prompt opened. So does a closing tag used as a word of a sentence
 *   ("ends with the </think> tag", or in backticks); a block's end stands at a line's end or runs into the answer.
 */
import type { LlmStreamEvent, RawStreamEvent, ReasoningTagSetting } from './types';

export interface ReasoningSplitterOptions {
  tags?: ReasoningTagSetting;
  /**
   * Learned from an earlier turn for this model config: the prompt template opens <think> itself, so the answer
   * starts inside reasoning and only a closing tag is expected.
   */
  startsInReasoning?: boolean;
}

const DEFAULT_TAG_NAMES = ['think', 'thinking', 'reasoning', 'thought'];

/**
 * Longest attribute list (or whitespace before a closing `>`) worth waiting for. Past it the text cannot be a tag
 * and is released, so an answer opening with "<think about it…" is not held back until the stream ends.
 */
const MAX_TAG_INNER = 200;

type TagProbe = { kind: 'none' } | { kind: 'partial' } | { kind: 'match'; end: number; name: string };

const NONE: TagProbe = { kind: 'none' };
const PARTIAL: TagProbe = { kind: 'partial' };

interface TagGrammar {
  /** Cheap pre-filter so scanning long content only probes plausible positions. */
  mayStartTag(ch: string): boolean;
  open(text: string, at: number): TagProbe;
  /** `name` is the opening tag's; undefined accepts any recognised closing tag. */
  close(text: string, at: number, name: string | undefined): TagProbe;
}

function sameChar(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

/** Index after `literal` at `at` (case-insensitive), or whether the text ended inside it. */
function literalAt(text: string, at: number, literal: string): number | 'partial' | 'none' {
  for (let k = 0; k < literal.length; k++) {
    const i = at + k;
    if (i >= text.length) return 'partial';
    if (!sameChar(text[i], literal[k])) return 'none';
  }
  return at + literal.length;
}

function isTagSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r';
}

function probeOpenNamed(text: string, at: number, name: string): TagProbe {
  const afterName = literalAt(text, at, `<${name}`);
  if (afterName === 'partial') return PARTIAL;
  if (afterName === 'none') return NONE;
  if (afterName === text.length) return PARTIAL;
  const next = text[afterName];
  if (next === '>') return { kind: 'match', end: afterName + 1, name };
  // `<thinker>` is a different word, not `<think>` with attributes.
  if (next !== ' ' && next !== '\t') return NONE;
  for (let j = afterName + 1; j < text.length; j++) {
    if (j - afterName > MAX_TAG_INNER) return NONE;
    const ch = text[j];
    // A self-closing `<think/>` opens nothing.
    if (ch === '>') return text[j - 1] === '/' ? NONE : { kind: 'match', end: j + 1, name };
    if (ch === '<' || ch === '\n' || ch === '\r') return NONE;
  }
  return PARTIAL;
}

function probeCloseNamed(text: string, at: number, name: string): TagProbe {
  const afterName = literalAt(text, at, `</${name}`);
  if (afterName === 'partial') return PARTIAL;
  if (afterName === 'none') return NONE;
  for (let j = afterName; j < text.length; j++) {
    if (j - afterName > MAX_TAG_INNER) return NONE;
    const ch = text[j];
    if (ch === '>') return { kind: 'match', end: j + 1, name };
    if (!isTagSpace(ch)) return NONE;
  }
  return PARTIAL;
}

/** First match among the probes, or partial if any might still match (the decision waits for more text). */
function firstOf(probes: TagProbe[]): TagProbe {
  let match: TagProbe = NONE;
  for (const probe of probes) {
    if (probe.kind === 'partial') return PARTIAL;
    if (probe.kind === 'match' && match.kind === 'none') match = probe;
  }
  return match;
}

function namedTags(names: readonly string[]): TagGrammar {
  return {
    mayStartTag: (ch) => ch === '<',
    open: (text, at) => firstOf(names.map((name) => probeOpenNamed(text, at, name))),
    close: (text, at, name) => firstOf((name === undefined ? names : [name]).map((n) => probeCloseNamed(text, at, n))),
  };
}

function literalTags(open: string, close: string): TagGrammar {
  const probe = (text: string, at: number, literal: string): TagProbe => {
    const end = literalAt(text, at, literal);
    if (end === 'partial') return PARTIAL;
    if (end === 'none') return NONE;
    return { kind: 'match', end, name: literal };
  };
  return {
    mayStartTag: (ch) => sameChar(ch, open[0]) || sameChar(ch, close[0]),
    open: (text, at) => probe(text, at, open),
    close: (text, at) => probe(text, at, close),
  };
}

function grammarFor(setting: ReasoningTagSetting): TagGrammar | undefined {
  switch (setting.mode) {
    case 'off':
      return undefined;
    case 'auto':
      return namedTags(DEFAULT_TAG_NAMES);
    case 'custom':
      // An empty tag would match everywhere; the model-config schema is the place that should have refused it.
      if (setting.open === '' || setting.close === '') {
        throw new RangeError('Custom reasoning tags need a non-empty opening and closing tag');
      }
      return literalTags(setting.open, setting.close);
  }
}

interface TagHit {
  at: number;
  probe: Exclude<TagProbe, { kind: 'none' }>;
}

function findTag(text: string, grammar: TagGrammar, probeAt: (at: number) => TagProbe): TagHit | undefined {
  for (let at = 0; at < text.length; at++) {
    if (!grammar.mayStartTag(text[at])) continue;
    const probe = probeAt(at);
    if (probe.kind !== 'none') return { at, probe };
  }
  return undefined;
}

/**
 * - `start`: nothing but whitespace seen yet; an opening (or orphan closing) tag may still come.
 * - `reasoning`: inside a block, until its closing tag.
 * - `content`: the answer; possibly still watching for an orphan closing tag.
 */
type Phase = 'start' | 'reasoning' | 'content';

export class ReasoningSplitter {
  private readonly grammar: TagGrammar | undefined;
  private phase: Phase;
  /** Text received but not yet emitted because it might be (part of) a tag, or leading whitespace to drop. */
  private held = '';
  /** A usage event that arrived while text was held back: sent after that text. */
  private pendingUsage: Extract<RawStreamEvent, { type: 'usage' }> | undefined;
  private trimPending = false;
  /** `startsInReasoning`: an explicit opening tag at the very start is swallowed rather than shown. */
  private swallowOpen = false;
  private closeName: string | undefined;
  private openedExplicitly = false;
  private watchForOrphan = false;
  private nativeSeen = false;
  private orphanClose = false;
  /** Constructed with `startsInReasoning` (and tags on): the learned setting is on trial this turn. */
  private readonly startedOpen: boolean;
  private reasoningTotal = '';
  private contentTotal = '';

  constructor(options: ReasoningSplitterOptions = {}) {
    this.grammar = grammarFor(options.tags ?? { mode: 'auto' });
    this.startedOpen = Boolean(this.grammar && options.startsInReasoning);
    if (!this.grammar) {
      this.phase = 'content';
    } else if (options.startsInReasoning) {
      this.phase = 'reasoning';
      this.trimPending = true;
      this.swallowOpen = true;
    } else {
      this.phase = 'start';
    }
  }

  /** True once this turn showed a closing tag with no opening one; the caller remembers it per model config. */
  get detectedOrphanClose(): boolean {
    return this.orphanClose;
  }

  /** Reasoning so far, after all reclassification. */
  get reasoning(): string {
    return this.reasoningTotal;
  }

  /** Content so far, after all reclassification. */
  get content(): string {
    return this.contentTotal;
  }

  /** Feed one raw event; returns the normalised events to emit now (possibly none). */
  push(event: RawStreamEvent): LlmStreamEvent[] {
    switch (event.type) {
      case 'content': {
        const out: LlmStreamEvent[] = [];
        if (event.text === '') return out;
        this.held += event.text;
        this.drain(out);
        return out;
      }
      case 'reasoning':
        return this.pushNativeReasoning(event.text);
      case 'usage':
        // Usage comes last; text still held back (a lone `<` that could have begun a tag) goes out before it.
        // The newest counts replace any still waiting (some servers send running totals).
        this.pendingUsage = this.held === '' ? undefined : event;
        return this.pendingUsage ? [] : [event];
      case 'done': {
        const out = this.flush();
        if (this.answeredWithoutThinking(event.finishReason)) {
          this.contentTotal = this.reasoningTotal + this.contentTotal;
          this.reasoningTotal = '';
          this.phase = 'content';
          out.push({ type: 'reclassify', reasoning: '', content: this.contentTotal });
        }
        out.push(event);
        return out;
      }
      case 'error': {
        const out = this.flush();
        out.push(event);
        return out;
      }
    }
  }

  /**
   * `startsInReasoning`, and the model finished on its own without ever closing a block it never opened (and sent
   * no native reasoning): what looked like reasoning was the answer.
   */
  private answeredWithoutThinking(finishReason: string): boolean {
    return (
      this.startedOpen &&
      this.phase === 'reasoning' &&
      !this.openedExplicitly &&
      !this.nativeSeen &&
      !/length|max_tokens/i.test(finishReason)
    );
  }

  /** End of stream: releases anything held back, in the phase it belongs to. Done/error call it themselves. */
  flush(): LlmStreamEvent[] {
    const out: LlmStreamEvent[] = [];
    // A closing tag waiting for its next character to tell a word from a block's end: the stream's end is a line's.
    if (this.grammar && this.phase === 'content' && this.watchForOrphan && this.held !== '') {
      const close = this.grammar.close(this.held, 0, undefined);
      if (close.kind === 'match') {
        this.orphanCloseAt(0, close.end, out);
        this.held = this.held.trimStart();
      }
    }
    const rest = this.held;
    this.held = '';
    // An unfinished tag is ordinary text of its phase; an unclosed block stays reasoning.
    this.emit(out, this.phase === 'reasoning' ? 'reasoning' : 'content', rest);
    if (this.pendingUsage) out.push(this.pendingUsage);
    this.pendingUsage = undefined;
    return out;
  }

  private pushNativeReasoning(text: string): LlmStreamEvent[] {
    const out: LlmStreamEvent[] = [];
    // Servers that always send the field send it empty for models that do not think: that is no signal.
    if (text === '') return out;
    if (!this.nativeSeen) {
      this.nativeSeen = true;
      const heldBelongsToReasoning =
        this.phase === 'reasoning' && (this.openedExplicitly || this.reasoningTotal !== '');
      const rest = this.held;
      this.held = '';
      this.emit(out, heldBelongsToReasoning ? 'reasoning' : 'content', rest);
      // The server separates reasoning itself, so any tag in content is something the model wrote on purpose.
      this.phase = 'content';
      this.watchForOrphan = false;
      this.trimPending = false;
      this.swallowOpen = false;
    }
    this.emit(out, 'reasoning', text);
    return out;
  }

  private drain(out: LlmStreamEvent[]): void {
    let progressed = true;
    while (progressed && this.held !== '') {
      if (!this.grammar) {
        this.emit(out, 'content', this.held);
        this.held = '';
        return;
      }
      switch (this.phase) {
        case 'start':
          progressed = this.drainStart(this.grammar, out);
          break;
        case 'reasoning':
          progressed = this.drainReasoning(this.grammar, out);
          break;
        case 'content':
          progressed = this.drainContent(this.grammar, out);
          break;
      }
    }
  }

  /** Each drain step returns true when it moved to another phase with text left to look at. */
  private drainStart(grammar: TagGrammar, out: LlmStreamEvent[]): boolean {
    const first = this.held.search(/\S/);
    if (first === -1) return false;
    const open = grammar.open(this.held, first);
    const close = grammar.close(this.held, first, undefined);
    if (open.kind === 'partial' || close.kind === 'partial') return false;
    if (open.kind === 'match') {
      this.held = this.held.slice(open.end);
      this.enterReasoning(open.name);
      return true;
    }
    if (close.kind === 'match') {
      this.orphanCloseAt(first, close.end, out);
      return true;
    }
    // Not a tag: the answer has begun, whitespace and all.
    this.phase = 'content';
    this.watchForOrphan = true;
    return true;
  }

  private enterReasoning(name: string): void {
    this.phase = 'reasoning';
    this.closeName = name;
    this.openedExplicitly = true;
    this.trimPending = true;
  }

  private drainReasoning(grammar: TagGrammar, out: LlmStreamEvent[]): boolean {
    if (!this.trimLeading()) return false;
    if (this.swallowOpen) {
      const open = grammar.open(this.held, 0);
      if (open.kind === 'partial') return false;
      this.swallowOpen = false;
      if (open.kind === 'match') {
        this.held = this.held.slice(open.end);
        this.enterReasoning(open.name);
        return true;
      }
    }
    const hit = findTag(this.held, grammar, (at) => grammar.close(this.held, at, this.closeName));
    if (!hit) {
      this.emit(out, 'reasoning', this.held);
      this.held = '';
      return false;
    }
    this.emit(out, 'reasoning', this.held.slice(0, hit.at));
    this.held = this.held.slice(hit.at);
    if (hit.probe.kind !== 'match') return false;
    this.held = this.held.slice(hit.probe.end - hit.at);
    if (!this.openedExplicitly) this.orphanClose = true;
    this.enterAnswer();
    return true;
  }

  private drainContent(grammar: TagGrammar, out: LlmStreamEvent[]): boolean {
    if (!this.trimLeading()) return false;
    if (!this.watchForOrphan) {
      this.emit(out, 'content', this.held);
      this.held = '';
      return false;
    }
    const hit = findTag(this.held, grammar, (at) =>
      firstOf([grammar.close(this.held, at, undefined), grammar.open(this.held, at)]),
    );
    if (!hit) {
      this.emit(out, 'content', this.held);
      this.held = '';
      return false;
    }
    if (hit.probe.kind === 'partial') {
      this.emit(out, 'content', this.held.slice(0, hit.at));
      this.held = this.held.slice(hit.at);
      return false;
    }
    const mention = grammar.open(this.held, hit.at).kind === 'match' || this.inlineMention(hit.at, hit.probe.end);
    if (mention === undefined) {
      // "… the </think>" — whether it is a word in a sentence depends on the next character.
      this.emit(out, 'content', this.held.slice(0, hit.at));
      this.held = this.held.slice(hit.at);
      return false;
    }
    if (mention) {
      // The model mentions a tag mid-answer: it is text, and no later closing tag can be an orphan.
      this.watchForOrphan = false;
      this.emit(out, 'content', this.held);
      this.held = '';
      return false;
    }
    this.orphanCloseAt(hit.at, hit.probe.end, out);
    return true;
  }

  /**
   * A closing tag written as a word of a sentence ("ends with the </think> tag", "the `</think>` marker") rather
   * than a block's end: in code quotes, or after a space and followed on the same line by punctuation or, after a
   * space, by more words. A prompt template's block ends at a line's end (or the stream's) or runs straight into the
   * answer ("…\n</think>\n\n", "…42. </think>The").
   * Undefined while the character after the tag has not arrived yet.
   */
  private inlineMention(at: number, end: number): boolean | undefined {
    const before = at > 0 ? this.held[at - 1] : (this.contentTotal.at(-1) ?? '');
    if (before === '`') return true;
    if (before !== ' ' && before !== '\t') return false;
    let next = end;
    while (next < this.held.length && (this.held[next] === ' ' || this.held[next] === '\t')) next++;
    if (next >= this.held.length) return undefined;
    const after = this.held[next]!;
    if (after === '\n' || after === '\r') return false;
    // After spaces any word goes on the sentence; straight after the tag only punctuation does ("</think>The" is
    // the answer beginning).
    return next > end || /[.,;:!?)'"`，。、；：！？）]/.test(after);
  }

  /**
   * The prompt template opened the block, so everything shown so far was reasoning. The consumer already rendered
   * it as the answer; one reclassify carries the corrected whole, and content later in this push joins it.
   */
  private orphanCloseAt(at: number, end: number, out: LlmStreamEvent[]): void {
    const reasoning = (this.contentTotal + this.held.slice(0, at)).trimStart();
    this.held = this.held.slice(end);
    this.orphanClose = true;
    this.watchForOrphan = false;
    if (reasoning !== '') {
      out.push({ type: 'reclassify', reasoning, content: '' });
      this.reasoningTotal = reasoning;
      this.contentTotal = '';
    }
    this.enterAnswer();
  }

  private enterAnswer(): void {
    this.phase = 'content';
    this.watchForOrphan = false;
    // Only one block per turn: the answer usually opens with "\n\n", which is layout, not text.
    this.trimPending = true;
  }

  /** Drops leading whitespace while a phase has just begun; false when nothing is left to look at yet. */
  private trimLeading(): boolean {
    if (!this.trimPending) return true;
    this.held = this.held.trimStart();
    if (this.held === '') return false;
    this.trimPending = false;
    return true;
  }

  private emit(out: LlmStreamEvent[], type: 'reasoning' | 'content', text: string): void {
    if (text === '') return;
    const last = out.at(-1);
    if (type === 'reasoning') {
      this.reasoningTotal += text;
      if (last?.type === 'reasoning') last.text += text;
      else out.push({ type, text });
      return;
    }
    this.contentTotal += text;
    if (last?.type === 'content') last.text += text;
    else if (last?.type === 'reclassify') last.content += text;
    else out.push({ type, text });
  }
}
