/**
 * The per-test stub server every client spec needs: a fresh StubUpstream before each test, closed after it, and the
 * shared HTTP agents closed when the file is done. Call it at the top of a spec file (or inside a `describe`).
 */
import { afterAll, afterEach, beforeEach } from 'vitest';
import { forgetLearnedFixes } from '../adapters/compat-fixes';
import { closeHttpAgents } from '../http-transport';
import type { ProviderConnection } from '../types';
import { StubUpstream } from './stub-upstream';

export interface StubUpstreamFixture {
  /** The current test's server. */
  readonly upstream: StubUpstream;
  /** A connection to the current test's server: the defaults given to `useStubUpstream`, then `overrides`. */
  connection(overrides?: Partial<ProviderConnection>): ProviderConnection;
}

export function useStubUpstream(defaults: Omit<ProviderConnection, 'baseUrl'>): StubUpstreamFixture {
  let current: StubUpstream | undefined;
  beforeEach(async () => {
    forgetLearnedFixes();
    current = await new StubUpstream().start();
  });
  afterEach(() => current?.close());
  afterAll(() => closeHttpAgents());

  const upstream = (): StubUpstream => {
    if (!current) throw new Error('the stub upstream only runs inside a test');
    return current;
  };
  return {
    get upstream() {
      return upstream();
    },
    connection: (overrides = {}) => ({ ...defaults, baseUrl: upstream().origin, ...overrides }),
  };
}
