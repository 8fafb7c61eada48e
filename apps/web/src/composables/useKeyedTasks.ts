import { reactive } from 'vue';

export interface KeyedTaskState<T> {
  running: boolean;
  /** The last outcome; kept while a new run is in flight so the row does not flicker. */
  result: T | null;
}

/**
 * Per-row background actions whose outcome is shown inline (a connection test, a model-list refresh): one state per
 * key, a second click while running is ignored, and a failed call becomes an outcome via `onError` instead of a
 * thrown error.
 */
export function useKeyedTasks<T>(onError: (error: unknown) => T) {
  const states = reactive<Record<string, KeyedTaskState<T>>>({});

  function stateOf(key: string): KeyedTaskState<T> | undefined {
    return states[key] as KeyedTaskState<T> | undefined;
  }

  async function run(key: string, task: () => Promise<T>): Promise<T | null> {
    const current = stateOf(key);
    if (current?.running) return null;
    states[key] = { running: true, result: current?.result ?? null } as KeyedTaskState<T>;
    let result: T;
    try {
      result = await task();
    } catch (error) {
      result = onError(error);
    }
    states[key] = { running: false, result } as KeyedTaskState<T>;
    return result;
  }

  function forget(key: string): void {
    delete states[key];
  }

  return { stateOf, run, forget };
}

export type KeyedTasks<T> = ReturnType<typeof useKeyedTasks<T>>;
