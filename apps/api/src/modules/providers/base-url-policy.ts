import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Which upstream addresses a provider may point at. Private and loopback addresses are allowed on purpose: local
 * model servers (Ollama, vLLM) are the normal case on a self-hosted platform. What is refused is the one class of
 * address an admin never needs and an attacker always wants: cloud instance-metadata endpoints and the link-local
 * ranges they live in, plus multicast/broadcast.
 */
const FORBIDDEN_RANGES = new Set(['linkLocal', 'multicast', 'broadcast']);
const FORBIDDEN_ADDRESSES = new Set([
  '100.100.100.200', // Alibaba Cloud metadata
  '192.0.0.192', // Oracle Cloud metadata
  'fd00:ec2::254', // AWS metadata over IPv6
]);
const FORBIDDEN_HOSTNAMES = new Set([
  'metadata.google.internal',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
]);

export function forbiddenAddressReason(address: string): string | null {
  if (!ipaddr.isValid(address)) return null;
  const parsed = ipaddr.process(address); // unwraps IPv4-mapped IPv6 (::ffff:169.254.169.254)
  const normalized = parsed.toNormalizedString();
  const canonical = parsed.kind() === 'ipv6' ? ipaddr.IPv6.parse(normalized).toString() : normalized;
  if (FORBIDDEN_ADDRESSES.has(canonical)) return `${address} is a cloud metadata address`;
  const range = parsed.range();
  if (FORBIDDEN_RANGES.has(range)) {
    return range === 'linkLocal'
      ? `${address} is a link-local address (cloud metadata lives there)`
      : `${address} is a ${range} address`;
  }
  return null;
}

/** Returns why the URL may not be used, or null when it may. Hostnames are resolved and every address checked. */
export async function baseUrlViolation(baseUrl: string): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return 'the base URL is not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'the base URL must use http or https';
  if (url.username || url.password) return 'put credentials in the API key field, not in the URL';
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  if (FORBIDDEN_HOSTNAMES.has(host)) return `${host} is a cloud metadata host`;
  if (ipaddr.isValid(host)) return forbiddenAddressReason(host);
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    // Unresolvable now (offline, split DNS): nothing to connect to yet; every connection checks the addresses the
    // name resolves to then (guardUpstreamAddresses in libs/llm-clients).
    return null;
  }
  for (const { address } of addresses) {
    const reason = forbiddenAddressReason(address);
    if (reason) return `${host} resolves to ${reason}`;
  }
  return null;
}
