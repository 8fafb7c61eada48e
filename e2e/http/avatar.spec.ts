import type { User } from '@modelyard/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, env, expectEnvelope, newSignedInUser, type SignedInUser } from './support/client';
import { makePng } from './support/png';

function form(bytes: Buffer, fileName: string, type: string, field = 'file'): FormData {
  const data = new FormData();
  data.append(field, new Blob([new Uint8Array(bytes)], { type }), fileName);
  return data;
}

const upload = (client: ApiClient, body: FormData) =>
  client.request<{ user: User }>('POST', '/api/auth/me/avatar', { body });

const isWebp = (bytes: Buffer) =>
  bytes.subarray(0, 4).toString('ascii') === 'RIFF' && bytes.subarray(8, 12).toString('ascii') === 'WEBP';

describe('POST /api/auth/me/avatar', () => {
  // Alice gets an avatar; Bob's uploads are all refused, so he must end without one.
  let alice: SignedInUser;
  let bob: SignedInUser;

  beforeAll(async () => {
    alice = await newSignedInUser();
    bob = await newSignedInUser();
  });

  it('stores a PNG as a WebP served at the returned avatarUrl, for that user only', async () => {
    const res = await upload(alice.client, form(makePng(40, 30), 'me.png', 'image/png'));
    expect(res.status).toBe(200);
    const { avatarUrl } = res.body.user;
    expect(res.body.user.id).toBe(alice.user.id);
    expect(avatarUrl).toMatch(new RegExp(`^/api/users/${alice.user.id}/avatar`));
    expect((await alice.client.me()).body.user.avatarUrl).toBe(avatarUrl);

    // Served to anyone (an <img> sends no token), always as an image we produced.
    const raw = await fetch(`${env.baseUrl}${avatarUrl!}`);
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('image/webp');
    expect(raw.headers.get('x-content-type-options')).toBe('nosniff');
    expect(isWebp(Buffer.from(await raw.arrayBuffer()))).toBe(true);

    // Bob is untouched.
    expect((await bob.client.me()).body.user.avatarUrl).toBeNull();
    expectEnvelope(await new ApiClient().get(`/api/users/${bob.user.id}/avatar`), 404, 'AVATAR_NOT_FOUND');

    // A new image gets a new URL, so browsers do not keep showing a cached old one.
    const second = await upload(alice.client, form(makePng(64, 64), 'again.png', 'image/png'));
    expect(second.status).toBe(200);
    expect(second.body.user.avatarUrl).not.toBe(avatarUrl);
  });

  it('refuses an HTML file renamed .png with 415 AVATAR_INVALID and keeps the previous avatar', async () => {
    const { client } = alice;
    const before = (await client.me()).body.user.avatarUrl;
    expect(before).not.toBeNull();
    const html = Buffer.from('<!doctype html><html><body><script>alert(document.cookie)</script></body></html>');
    const res = await upload(client, form(html, 'evil.png', 'image/png'));
    expectEnvelope(res, 415, 'AVATAR_INVALID');
    expect((await client.me()).body.user.avatarUrl).toBe(before);
  });

  it('refuses a file over 2 MB with 413', async () => {
    const { client } = bob;
    const big = Buffer.concat([makePng(), Buffer.alloc(2 * 1024 * 1024 + 1024, 7)]);
    const res = await upload(client, form(big, 'big.png', 'image/png'));
    expectEnvelope(res, 413, ['AVATAR_TOO_LARGE', 'PAYLOAD_TOO_LARGE']);
    expect((await client.me()).body.user.avatarUrl).toBeNull();
  });

  it('answers 400 when no file is sent', async () => {
    const { client } = bob;
    const onlyText = new FormData();
    onlyText.append('note', 'no file here');
    expectEnvelope(await upload(client, onlyText), 400, 'AVATAR_MISSING');
    expectEnvelope(await upload(client, form(makePng(), 'a.png', 'image/png', 'picture')), 400, 'AVATAR_MISSING');
    expect((await client.me()).body.user.avatarUrl).toBeNull();
  });

  it('answers 400 MALFORMED_BODY to a multipart body without a boundary or cut short', async () => {
    const { client } = bob;
    const raw = (contentType: string, body: string) =>
      fetch(`${env.baseUrl}/api/auth/me/avatar`, {
        method: 'POST',
        headers: { authorization: `Bearer ${client.accessToken}`, 'content-type': contentType },
        body,
      });
    const cutShort =
      '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nabc';
    for (const res of [
      await raw('multipart/form-data', 'garbage'),
      await raw('multipart/form-data; boundary=xyz', cutShort),
    ]) {
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ statusCode: 400, code: 'MALFORMED_BODY' });
    }
    expect((await client.me()).body.user.avatarUrl).toBeNull();
  });

  it('needs a signed-in user', async () => {
    expectEnvelope(await upload(new ApiClient(), form(makePng(), 'a.png', 'image/png')), 401, 'UNAUTHORIZED');
  });
});

describe('GET /api/users/:id/avatar', () => {
  it('answers 404 for an unknown user and for a non-uuid id', async () => {
    const anon = new ApiClient();
    expectEnvelope(await anon.get('/api/users/00000000-0000-4000-8000-000000000000/avatar'), 404, 'AVATAR_NOT_FOUND');
    expectEnvelope(await anon.get('/api/users/not-a-uuid/avatar'), 404, [
      'NOT_FOUND',
      'AVATAR_NOT_FOUND',
      'USER_NOT_FOUND',
    ]);
  });
});
