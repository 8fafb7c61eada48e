import type { ConnectionTestResult, Provider, ProviderModelList, ProviderStatus } from '@modelyard/contracts';

export type StatusTone = 'ok' | 'error' | 'unknown';

/** What the card's status dot says: the last connection check, or that there was none since the last change. */
export function providerStatusTone(status: ProviderStatus | null): StatusTone {
  if (!status) return 'unknown';
  return status.ok ? 'ok' : 'error';
}

/** The last four characters of the key (the server never sends more), or null when there is no key. */
export const keyHint = (provider: Pick<Provider, 'hasApiKey' | 'apiKeyHint'>): string | null =>
  provider.hasApiKey ? (provider.apiKeyHint ?? '…') : null;

/** A test answer as the status the card shows, without reloading the providers. */
export const statusFromTest = (result: ConnectionTestResult, now = new Date()): ProviderStatus => ({
  ok: result.ok,
  latencyMs: result.latencyMs,
  ...(result.error !== undefined && { error: result.error }),
  checkedAt: now.toISOString(),
});

/** What "Refresh models" reports on the card. */
export interface ModelRefreshOutcome {
  count: number;
  /** Why the live list failed (manual models may still be listed). */
  error?: string;
}

export const refreshOutcome = (list: ProviderModelList): ModelRefreshOutcome => ({
  count: list.items.length,
  ...(list.error !== undefined && { error: list.error }),
});
