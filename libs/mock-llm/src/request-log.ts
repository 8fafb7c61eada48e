import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { MockProtocol, RecordedRequest, RequestOutcome } from './types';

/** Oldest records are dropped past this, so a long benchmark run cannot grow the mock without bound. */
const MAX_RECORDS = 10_000;

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

export class RequestLog {
  private records: RecordedRequest[] = [];

  start(entry: {
    protocol: MockProtocol;
    method: string;
    path: string;
    headers: IncomingHttpHeaders;
  }): RecordedRequest {
    const record: RecordedRequest = {
      id: randomUUID(),
      protocol: entry.protocol,
      method: entry.method,
      path: entry.path,
      headers: flattenHeaders(entry.headers),
      body: undefined,
      startedAt: new Date().toISOString(),
      outcome: 'pending',
    };
    this.records.push(record);
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
    return record;
  }

  finish(record: RecordedRequest, outcome: RequestOutcome): void {
    record.outcome = outcome;
    record.endedAt = new Date().toISOString();
  }

  /** Copies, so a test holding the array sees a snapshot and cannot alter the log. */
  list(): RecordedRequest[] {
    return structuredClone(this.records);
  }

  clear(): void {
    this.records = [];
  }
}
