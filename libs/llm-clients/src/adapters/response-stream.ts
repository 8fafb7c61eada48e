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
