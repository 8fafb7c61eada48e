import { describe, expect, it } from 'vitest';
import { baseUrlViolation, forbiddenAddressReason } from './base-url-policy';

describe('base URL policy', () => {
  it.each([
    'http://127.0.0.1:11434',
    'http://10.0.0.5:8000/v1',
    'http://192.168.1.20:30000/v1',
    'http://[::1]:8000/v1',
    'https://api.openai.com/v1',
    'http://localhost:11434',
  ])('allows %s (local model servers are the normal case)', async (url) => {
    expect(await baseUrlViolation(url)).toBeNull();
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data', /link-local/],
    ['http://[fe80::1]:80', /link-local/],
    ['http://[::ffff:169.254.169.254]/', /link-local/],
    ['http://100.100.100.200/', /metadata/],
    ['http://[fd00:ec2::254]/', /metadata/],
    ['http://metadata.google.internal/computeMetadata/v1', /metadata host/],
    ['http://224.0.0.1/', /multicast/],
    ['ftp://example.com', /http or https/],
    ['http://user:pw@example.com', /credentials/],
  ])('refuses %s', async (url, reason) => {
    expect(await baseUrlViolation(url)).toMatch(reason);
  });

  it('ignores hostnames that are not addresses', () => {
    expect(forbiddenAddressReason('example.com')).toBeNull();
  });
});
