/**
 * Lines of newline-delimited JSON from raw body chunks. Chunks split anywhere, including inside a multi-byte
 * character, so decoding runs in stream mode and an incomplete line waits for the next chunk. Blank lines are
 * skipped; a final line without its newline is still delivered (the caller decides whether it parses).
 */
export async function* readNdjsonLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) yield line;
      newline = buffer.indexOf('\n');
    }
  }
  const last = (buffer + decoder.decode()).trim();
  if (last) yield last;
}
