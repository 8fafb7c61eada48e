import type { HttpResponse } from '../http-transport';
import { LlmError } from '../types';

/**
 * Waits for the streamed response of a sent request and passes on what `read` makes of it, then destroys the response
 * however the reading ended: the end of the stream, an error, or a consumer that stopped early (the socket must not
 * stay half-read).
 */
export async function* readStreamedResponse<T>(
  sent: Promise<HttpResponse>,
  read: (response: HttpResponse) => AsyncGenerator<T, void, undefined>,
): AsyncGenerator<T, void, undefined> {
  const response = await sent;
  try {
    yield* read(response);
  } finally {
    response.destroy();
  }
}

/**
 * A network failure or timeout while reading a stream. Once the finish reason has arrived it only cost the closing
 * formality (`[DONE]`, `message_stop`): the answer is whole and the stream ends normally.
 */
export function isLateStreamFailure(error: unknown): boolean {
  return error instanceof LlmError && (error.kind === 'network' || error.kind === 'timeout');
}

/** The note a truncation message carries about unparseable frames or lines, empty when there were none. */
export function malformedNote(malformed: number, unit: 'frame' | 'line'): string {
  return malformed > 0 ? ` (${malformed} malformed ${unit}${malformed === 1 ? '' : 's'} skipped)` : '';
}

const OPEN_BRACE = 0x7b;
/** A non-streamed answer larger than this is no chat answer. */
const JSON_DOCUMENT_LIMIT = 16 * 1024 * 1024;

function firstNonSpaceByte(bytes: Uint8Array): number | undefined {
  for (const byte of bytes) if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
  return undefined;
}

/**
 * The first chunk of a body asked to stream. Some servers (and gateways in front of them) answer with one JSON
 * document instead, whatever their `Content-Type` says: the whole answer, or an error with status 200 ("insufficient
 * balance"). A stream never starts with `{` (its lines start with a field name or `:`), so a body that does is read
 * whole and parsed: `{ json }`. Otherwise `{ first }` is the stream's first chunk (none for an empty body).
 */
export async function firstChunkOrDocument(
  chunks: AsyncGenerator<Uint8Array>,
): Promise<{ json: unknown } | { first: Uint8Array | undefined }> {
  const next = await chunks.next();
  const first = next.done ? undefined : next.value;
  if (!first || firstNonSpaceByte(first) !== OPEN_BRACE) return { first };
  const parts = [first];
  let size = first.byteLength;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    if (size > JSON_DOCUMENT_LIMIT) throw new LlmError('upstream', 'the provider sent an oversized JSON answer');
    parts.push(chunk);
  }
  try {
    return { json: JSON.parse(Buffer.concat(parts).toString('utf8')) as unknown };
  } catch {
    throw new LlmError('upstream', 'the provider answered with invalid JSON instead of a stream');
  }
}
