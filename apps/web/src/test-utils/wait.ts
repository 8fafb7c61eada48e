import { vi } from 'vitest';

/** vi.waitFor with room for lazy route chunks to be transformed on a slow machine. */
export const waitFor = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 5000, interval: 20 });
