/** What a text field holds after inserting `text` over the selection, and where the caret goes. */
export function insertAtCursor(
  value: string,
  selectionStart: number | null | undefined,
  selectionEnd: number | null | undefined,
  text: string,
): { value: string; cursor: number } {
  const clamp = (n: number) => Math.min(Math.max(n, 0), value.length);
  // No known caret (the field never had focus): append, as a user would expect.
  const start = clamp(selectionStart ?? value.length);
  const end = Math.max(start, clamp(selectionEnd ?? start));
  return { value: value.slice(0, start) + text + value.slice(end), cursor: start + text.length };
}

/** The template token for a variable. */
export const variableToken = (name: string) => `{{${name}}}`;
