import type { AuthStyle, ProviderConnection } from './types';

export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';
/** Used for the `header` style when the connection names no header: the most common custom header for keys. */
export const DEFAULT_KEY_HEADER = 'x-api-key';

/** What every request of one connection carries: headers (lower-case names) and query parameters. */
export interface RequestCredentials {
  headers: Record<string, string>;
  query: Record<string, string>;
}

function apiKeyOf(connection: ProviderConnection): string | undefined {
  // Keys pasted from a dashboard often carry a trailing newline, which is not a valid header value.
  const key = connection.apiKey?.trim();
  return key ? key : undefined;
}

/**
 * The style used when the connection does not pick one. Anthropic's own API only accepts `x-api-key`; OpenAI and
 * Ollama servers take a bearer token when they take a key at all (Ollama itself has none, proxies in front do).
 */
export function resolveAuthStyle(connection: ProviderConnection): AuthStyle {
  if (connection.authStyle) return connection.authStyle;
  if (connection.kind === 'anthropic') return 'header';
  return apiKeyOf(connection) ? 'bearer' : 'none';
}

export function buildRequestCredentials(connection: ProviderConnection): RequestCredentials {
  const style = resolveAuthStyle(connection);
  const headers: Record<string, string> = {};
  const query: Record<string, string> = {};

  if (connection.kind === 'anthropic') {
    // With the azure style `apiVersion` is the query's api-version, so Anthropic's header keeps its default.
    const version = style !== 'azure' && connection.apiVersion ? connection.apiVersion : DEFAULT_ANTHROPIC_VERSION;
    headers['anthropic-version'] = version;
  }
  // Extra headers may override protocol defaults (a newer anthropic-version) but not the key set just below.
  for (const [name, value] of Object.entries(connection.headers ?? {})) {
    headers[name.toLowerCase()] = value;
  }

  const key = apiKeyOf(connection);
  switch (style) {
    case 'bearer':
      if (key) headers.authorization = `Bearer ${key}`;
      break;
    case 'header':
      if (key) headers[(connection.authHeaderName?.trim() || DEFAULT_KEY_HEADER).toLowerCase()] = key;
      break;
    case 'azure':
      if (key) headers['api-key'] = key;
      if (connection.apiVersion) query['api-version'] = connection.apiVersion;
      break;
    case 'none':
      break;
  }
  return { headers, query };
}

/**
 * Values that must never appear in an error message or log line: the key, extra headers whose name says they hold a
 * credential (gateway tokens), and the base URL's query values (some gateways take their key there; the API hides
 * that query from non-admins, and an upstream that echoes the request URL in its error would show it to them).
 */
export function secretsOf(connection: ProviderConnection): string[] {
  const secrets = new Set<string>();
  try {
    for (const [name, value] of new URL(connection.baseUrl).searchParams) {
      if (!/version/i.test(name) && value.length >= 6) secrets.add(value);
    }
  } catch {
    // An invalid base URL fails where the adapter is created; it has no query to hide.
  }
  const key = apiKeyOf(connection);
  if (key) secrets.add(key);
  if (connection.apiKey && connection.apiKey !== key) secrets.add(connection.apiKey);
  for (const [name, value] of Object.entries(connection.headers ?? {})) {
    if (/auth|key|token|secret|cookie/i.test(name) && value.trim().length >= 4) {
      secrets.add(value.trim());
      const bearer = /^bearer\s+(.+)$/i.exec(value.trim());
      if (bearer?.[1]) secrets.add(bearer[1]);
    }
  }
  return [...secrets];
}
