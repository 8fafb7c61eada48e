import { describe, expect, it, vi } from 'vitest';
import { useKeyedTasks } from './useKeyedTasks';

describe('useKeyedTasks', () => {
  it('keeps one state per key, ignores a second start while running, and turns a failure into an outcome', async () => {
    const tasks = useKeyedTasks<string>((error) => `failed: ${(error as Error).message}`);
    let finish!: (value: string) => void;
    const slow = vi.fn(() => new Promise<string>((resolve) => (finish = resolve)));

    const first = tasks.run('a', slow);
    expect(tasks.stateOf('a')).toEqual({ running: true, result: null });
    expect(await tasks.run('a', slow)).toBeNull();
    expect(slow).toHaveBeenCalledTimes(1);

    finish('ok');
    expect(await first).toBe('ok');
    expect(tasks.stateOf('a')).toEqual({ running: false, result: 'ok' });
    expect(tasks.stateOf('b')).toBeUndefined();

    await tasks.run('b', () => Promise.reject(new Error('boom')));
    expect(tasks.stateOf('b')).toEqual({ running: false, result: 'failed: boom' });

    tasks.forget('a');
    expect(tasks.stateOf('a')).toBeUndefined();
  });
});
