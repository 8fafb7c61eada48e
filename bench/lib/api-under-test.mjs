// What the benchmarks of a running API share: JSON calls, finding the API process and reading its memory, and the
// report's value formatting.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** A JSON call against `baseUrl`; never throws on a non-2xx answer, and keeps a non-JSON body as text. */
export async function apiCall(baseUrl, method, path, { body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed };
}

/** The API's pid: API_PID, or whoever listens on the base URL's port on this machine (Linux `ss`). */
export function apiPid(baseUrl) {
  if (process.env.API_PID) return Number(process.env.API_PID);
  const url = new URL(baseUrl);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(url.hostname)) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    const match = /pid=(\d+)/.exec(out);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Resident memory of a process in MB, from /proc. */
export function rssMb(pid) {
  if (!pid) return undefined;
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

export const fmt = (n, digits = 1) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));
export const verdict = (ok) => (ok === undefined ? '⚪ not measured' : ok ? '✅ met' : '❌ missed');
