/**
 * `name` + `suffix` within `maxLength` characters: the name gives way, never the suffix, so "(copy 2)" and
 * "(copy 3)" of a long name stay different. Counted in code points, so no emoji is cut in half.
 */
export function withSuffix(name: string, suffix: string, maxLength: number): string {
  const room = Math.max(0, maxLength - Array.from(suffix).length);
  return Array.from(name).slice(0, room).join('') + suffix;
}

/** `name`, or `name (2)`, `name (3)`… within `maxLength`: the first not among `taken` (lower-cased). */
export function freeName(name: string, taken: ReadonlySet<string>, maxLength: number): string {
  if (!taken.has(name.toLowerCase())) return name;
  for (let n = 2; ; n++) {
    const candidate = withSuffix(name, ` (${n})`, maxLength);
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
