import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ErrorEnvelope, LoginResponse, User } from '@modelyard/contracts';
import { expect } from 'vitest';

/** What the harness passes in; the stack is shared with other suites, so nothing here assumes an empty database. */
export const env = {
  baseUrl: resolveBaseUrl().replace(/\/+$/, ''),
  adminEmail: required('ADMIN_EMAIL'),
  adminPassword: required('ADMIN_PASSWORD'),
  apiLogFile: process.env.API_LOG_FILE,
  /** The mock LLM upstream the harness started (OpenAI under /v1, Ollama and Anthropic at the root). */
  mockLlmUrl: process.env.MOCK_LLM_URL?.replace(/\/+$/, ''),
};

export function mockLlmUrl(): string {
  if (!env.mockLlmUrl) throw new Error('MOCK_LLM_URL must name the mock LLM upstream for this suite');
  return env.mockLlmUrl;
}

/**
 * Vitest hands its workers Vite's own `BASE_URL` ("/", the public path of a bundle), which shadows the harness's
 * BASE_URL. Unless the project config passes it through (`test.env`), read it from the vitest process that forked us.
 */
function resolveBaseUrl(): string {
  const own = process.env.E2E_BASE_URL ?? process.env.BASE_URL;
  if (own && /^https?:\/\//.test(own)) return own;
  try {
    const parentEnv = readFileSync(`/proc/${process.ppid}/environ`, 'utf8').split('\0');
    const inherited = parentEnv.find((entry) => entry.startsWith('BASE_URL='))?.slice('BASE_URL='.length);
    if (inherited && /^https?:\/\//.test(inherited)) return inherited;
  } catch {
    // not Linux, or not a forked worker
  }
  throw new Error('BASE_URL (e.g. http://127.0.0.1:8080) must be set for the HTTP e2e suite');
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set for the HTTP e2e suite`);
  return value;
}

export const REFRESH_COOKIE = 'refresh_token';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  body: T;
  text: string;
  /** Every Set-Cookie header, unparsed. */
  setCookies: string[];
}

export interface RequestOptions {
  json?: unknown;
  /** A raw body (string, FormData, Buffer…); `json` wins when both are given. */
  body?: BodyInit;
  headers?: Record<string, string>;
  /** Send the stored access token (default true when the client has one). */
  auth?: boolean;
  /** Send the stored refresh cookie (default true). */
  cookies?: boolean;
}

export interface ParsedCookie {
  name: string;
  value: string;
  attributes: Map<string, string | true>;
}

export function parseSetCookie(header: string): ParsedCookie {
  const [pair = '', ...rest] = header.split(';');
  const eq = pair.indexOf('=');
  const attributes = new Map<string, string | true>();
  for (const part of rest) {
    const [key = '', ...value] = part.trim().split('=');
    attributes.set(key.toLowerCase(), value.length ? value.join('=') : true);
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

function isExpiry(cookie: ParsedCookie): boolean {
  const maxAge = cookie.attributes.get('max-age');
  if (typeof maxAge === 'string' && Number(maxAge) <= 0) return true;
  const expires = cookie.attributes.get('expires');
  return typeof expires === 'string' && Date.parse(expires) <= Date.now();
}

/**
 * One browser-like session: a cookie jar for the httpOnly refresh cookie and the current access token.
 * Requests never throw on non-2xx; tests assert the status themselves.
 */
export class ApiClient {
  readonly cookies = new Map<string, string>();
  accessToken: string | undefined;

  constructor(accessToken?: string) {
    this.accessToken = accessToken;
  }

  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    // A JSON client: routes that stream by default (chat, compare, arena) answer 202 with ids to it.
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    }
    if (options.auth !== false && this.accessToken) headers.authorization ??= `Bearer ${this.accessToken}`;
    if (options.cookies !== false && this.cookies.size > 0) {
      headers.cookie ??= [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    const res = await fetch(`${env.baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
    const setCookies = res.headers.getSetCookie();
    for (const raw of setCookies) {
      const cookie = parseSetCookie(raw);
      if (isExpiry(cookie)) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    const text = await res.text();
    let parsed: unknown;
    if (text && (res.headers.get('content-type') ?? '').includes('json')) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text, setCookies };
  }

  get<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('GET', path, options);
  }
  post<T = unknown>(path: string, json?: unknown, options?: RequestOptions) {
    return this.request<T>('POST', path, { ...options, json });
  }
  patch<T = unknown>(path: string, json?: unknown, options?: RequestOptions) {
    return this.request<T>('PATCH', path, { ...options, json });
  }
  put<T = unknown>(path: string, json?: unknown, options?: RequestOptions) {
    return this.request<T>('PUT', path, { ...options, json });
  }
  delete<T = unknown>(path: string, options?: RequestOptions) {
    return this.request<T>('DELETE', path, options);
  }

  get refreshCookie(): string | undefined {
    return this.cookies.get(REFRESH_COOKIE);
  }

  async login(email: string, password: string): Promise<ApiResponse<LoginResponse>> {
    const res = await this.post<LoginResponse>('/api/auth/login', { email, password }, { auth: false });
    if (res.status === 200) this.accessToken = res.body.accessToken;
    return res;
  }

  /** Rotates the refresh cookie; on success the new access token replaces the old one. */
  async refresh(): Promise<ApiResponse<{ accessToken: string; expiresIn: number }>> {
    const res = await this.post<{ accessToken: string; expiresIn: number }>('/api/auth/refresh', undefined, {
      auth: false,
    });
    if (res.status === 200) this.accessToken = res.body.accessToken;
    return res;
  }

  async me(): Promise<ApiResponse<{ user: User }>> {
    return this.get<{ user: User }>('/api/auth/me');
  }
}

/**
 * Asserts the one error envelope: exactly these keys, the status, one of the given codes, and a requestId equal to
 * the x-request-id header.
 */
export function expectEnvelope(res: ApiResponse, status: number, code: string | readonly string[]): ErrorEnvelope {
  const codes = typeof code === 'string' ? [code] : code;
  expect(res.status, `expected ${status} ${codes.join('|')}, got ${res.status}: ${res.text}`).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const body = res.body as ErrorEnvelope;
  expect(body).toBeTypeOf('object');
  const allowed = ['statusCode', 'code', 'message', 'details', 'requestId'];
  expect(Object.keys(body).filter((k) => !allowed.includes(k))).toEqual([]);
  expect(body.statusCode).toBe(status);
  expect(codes).toContain(body.code);
  expect(body.message).toBeTypeOf('string');
  expect(body.message.length).toBeGreaterThan(0);
  if ('details' in body) expect(Array.isArray(body.details)).toBe(true);
  expect(body.requestId).toBeTypeOf('string');
  expect(body.requestId).toBe(res.headers.get('x-request-id'));
  return body;
}

/** The field paths named in a VALIDATION_FAILED envelope's details. */
export function detailPaths(envelope: ErrorEnvelope): string[] {
  return (envelope.details ?? []).map((d) => String((d as { path?: unknown }).path));
}

export const uniqueEmail = (tag = 'u') => `${tag}-${randomUUID()}@e2e.test`;
export const uniqueNickname = (tag = 'u') => `${tag}${randomUUID().replace(/-/g, '').slice(0, 14)}`;
export const strongPassword = () => `Pw-${randomUUID().slice(0, 12)}9x`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface RegisteredUser {
  email: string;
  nickname: string;
  password: string;
  user: User;
}

/**
 * Registers a fresh user. The registration-closed test (which may run in parallel in another file or suite) shuts
 * registration for a moment; a closed answer is retried for a few seconds rather than failing an unrelated test.
 */
export async function registerUser(overrides: Partial<Omit<RegisteredUser, 'user'>> = {}): Promise<RegisteredUser> {
  const input = {
    email: overrides.email ?? uniqueEmail(),
    nickname: overrides.nickname ?? uniqueNickname(),
    password: overrides.password ?? strongPassword(),
  };
  const client = new ApiClient();
  for (let attempt = 0; ; attempt++) {
    const res = await client.post<{ user: User } | ErrorEnvelope>('/api/auth/register', input);
    if (res.status === 201 && 'user' in res.body) return { ...input, user: res.body.user };
    const closed = res.status === 403 && 'code' in res.body && res.body.code === 'REGISTRATION_CLOSED';
    // A 503 (the machine too busy to open a database connection in time) says when to retry, as clients should.
    const busy = res.status === 503;
    if ((!closed && !busy) || attempt >= 40) throw new Error(`registration failed: ${res.status} ${res.text}`);
    await sleep(busy ? Number(res.headers.get('retry-after') ?? 1) * 1000 : 250);
  }
}

export interface SignedInUser extends RegisteredUser {
  client: ApiClient;
}

/** Registers a user and signs in, returning a client holding its access token and refresh cookie. */
export async function newSignedInUser(overrides: Partial<Omit<RegisteredUser, 'user'>> = {}): Promise<SignedInUser> {
  const registered = await registerUser(overrides);
  const client = await signIn(registered.email, registered.password);
  const me = await client.me();
  return { ...registered, user: me.body.user, client };
}

export async function signIn(email: string, password: string): Promise<ApiClient> {
  const client = new ApiClient();
  const res = await client.login(email, password);
  if (res.status !== 200) throw new Error(`login of ${email} failed: ${res.status} ${res.text}`);
  return client;
}

export function adminClient(): Promise<ApiClient> {
  return signIn(env.adminEmail, env.adminPassword);
}
