import type { Session } from '@modelyard/contracts';
import { describe, expect, it } from 'vitest';
import { filenameFromContentDisposition } from '@/api/download';
import { isSendKey } from './composer-keys';
import { formatDuration, formatSeconds, messageMetrics } from './message-meta';
import { appendPage, highlightParts, placeSession, relativeTime } from './session-list';

const key = (init: Partial<KeyboardEvent>) =>
  ({
    key: 'Enter',
    shiftKey: false,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    isComposing: false,
    keyCode: 13,
    ...init,
  }) as KeyboardEvent;

function session(id: string, lastActivityAt: string, pinned = false): Session {
  return {
    id,
    title: id,
    modelConfigId: null,
    systemPrompt: null,
    prompt: null,
    pinned,
    archived: false,
    currentLeafId: null,
    messageCount: 0,
    lastActivityAt,
    createdAt: lastActivityAt,
    updatedAt: lastActivityAt,
  };
}

describe('composer keys', () => {
  it('Enter sends when chosen, Shift+Enter breaks the line, Ctrl/Cmd+Enter always sends', () => {
    expect(isSendKey(key({}), true)).toBe(true);
    expect(isSendKey(key({ shiftKey: true }), true)).toBe(false);
    expect(isSendKey(key({}), false)).toBe(false);
    expect(isSendKey(key({ ctrlKey: true }), false)).toBe(true);
    expect(isSendKey(key({ metaKey: true }), false)).toBe(true);
    expect(isSendKey(key({ key: 'a' }), true)).toBe(false);
  });

  it('never sends on the Enter that confirms an IME composition', () => {
    expect(isSendKey(key({ isComposing: true }), true)).toBe(false);
    expect(isSendKey(key({ keyCode: 229 }), true)).toBe(false);
    expect(isSendKey(key({ isComposing: true, ctrlKey: true }), true)).toBe(false);
  });
});

describe('session list', () => {
  it('keeps pinned sessions first, then the most recent, when one is added or moves', () => {
    const list = [
      session('p', '2026-01-01T00:00:00Z', true),
      session('a', '2026-01-03T00:00:00Z'),
      session('b', '2026-01-02T00:00:00Z'),
    ];
    expect(placeSession(list, session('b', '2026-01-04T00:00:00Z')).map((s) => s.id)).toEqual(['p', 'b', 'a']);
    expect(placeSession(list, session('n', '2025-12-01T00:00:00Z')).map((s) => s.id)).toEqual(['p', 'a', 'b', 'n']);
    expect(placeSession(list, session('a', '2026-01-03T00:00:00Z', true)).map((s) => s.id)).toEqual(['a', 'p', 'b']);
    expect(appendPage(list, [session('b', 'x'), session('c', 'y')]).map((s) => s.id)).toEqual(['p', 'a', 'b', 'c']);
  });

  it('marks every case-insensitive match, Chinese included', () => {
    expect(highlightParts('Quantum 量子 and QUANTUM', 'quantum')).toEqual([
      { text: 'Quantum', match: true },
      { text: ' 量子 and ', match: false },
      { text: 'QUANTUM', match: true },
    ]);
    expect(highlightParts('请解释量子纠缠', '量子')).toEqual([
      { text: '请解释', match: false },
      { text: '量子', match: true },
      { text: '纠缠', match: false },
    ]);
    expect(highlightParts('text', '  ')).toEqual([{ text: 'text', match: false }]);
  });

  it('says how long ago, in the UI language', () => {
    const now = Date.parse('2026-01-10T12:00:00Z');
    expect(relativeTime('2026-01-10T11:55:00Z', now, 'en')).toBe('5 min. ago');
    expect(relativeTime('2026-01-09T12:00:00Z', now, 'en')).toBe('yesterday');
    expect(relativeTime('2026-01-10T11:00:00Z', now, 'zh-CN')).toBe('1小时前');
    expect(relativeTime('not a date', now, 'en')).toBe('');
  });
});

describe('message metadata', () => {
  it('derives tokens per second from the time after the first token', () => {
    const metrics = messageMetrics({ usage: { promptTokens: 10, completionTokens: 50 }, ttftMs: 500, totalMs: 2500 });
    expect(metrics).toEqual({
      promptTokens: 10,
      completionTokens: 50,
      ttftMs: 500,
      totalMs: 2500,
      tokensPerSecond: 25,
      estimated: false,
    });
    expect(messageMetrics({}).tokensPerSecond).toBeNull();
  });

  it('formats durations and thinking seconds', () => {
    expect(formatDuration(850, 'en')).toBe('850 ms');
    expect(formatDuration(3240, 'en')).toBe('3.2 s');
    expect(formatDuration(14_400, 'en')).toBe('14 s');
    expect(formatDuration(125_000, 'en')).toBe('2 min 5 s');
    expect(formatSeconds(3200, 'en')).toBe('3.2');
    expect(formatSeconds(12_400, 'en')).toBe('12');
  });
});

describe('downloads', () => {
  it('reads the file name of an attachment, UTF-8 names included', () => {
    expect(filenameFromContentDisposition("attachment; filename*=UTF-8''%E9%87%8F%E5%AD%90.md")).toBe('量子.md');
    expect(filenameFromContentDisposition('attachment; filename="modelyard-chats.zip"')).toBe('modelyard-chats.zip');
    expect(filenameFromContentDisposition('attachment')).toBeNull();
    expect(filenameFromContentDisposition(null)).toBeNull();
  });
});
