import { COMPARE_MAX_COLUMNS, type ModelConfig } from '@modelyard/contracts';

/** Where the compare page remembers the model configs last compared. */
export const MODEL_STORAGE_KEY = 'modelyard:compare-models';

/** The remembered choice, minus configs that are gone or cannot be used now, at most the column limit. */
export function keptSelection(
  remembered: unknown,
  available: readonly Pick<ModelConfig, 'id' | 'providerEnabled'>[],
): string[] {
  if (!Array.isArray(remembered)) return [];
  const usable = new Set(available.filter((c) => c.providerEnabled).map((c) => c.id));
  const kept: string[] = [];
  for (const id of remembered) {
    if (typeof id === 'string' && usable.has(id) && !kept.includes(id)) kept.push(id);
  }
  return kept.slice(0, COMPARE_MAX_COLUMNS);
}
