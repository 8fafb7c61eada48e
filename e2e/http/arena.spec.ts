import { randomUUID } from 'node:crypto';
import type { Battle, Leaderboard, ModelConfig, VoteResult } from '@modelyard/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ApiClient,
  adminClient,
  detailPaths,
  expectEnvelope,
  newSignedInUser,
  type SignedInUser,
} from './support/client';
import { createModelConfig, createProvider } from './support/mock-llm';
import { readSse } from './support/sse';

let admin: ApiClient;
let alice: SignedInUser;
let bob: SignedInUser;
let enrolled: ModelConfig[];
let providerId: string;

/** The arena is global: this file owns its enrolment, and leaderboard checks compare before and after. */
beforeAll(async () => {
  admin = await adminClient();
  [alice, bob] = await Promise.all([newSignedInUser(), newSignedInUser()]);
  providerId = (await createProvider(admin)).id;
  const tag = randomUUID().slice(0, 6);
  enrolled = [];
  for (const [i, tokens] of [23, 29].entries()) {
    enrolled.push(
      await createModelConfig(admin, providerId, {
        name: `Arena ${i ? 'Beta' : 'Alpha'} ${tag}`,
        model: `mock-chat@tokens=${tokens},ttft=10,tps=500`,
        visibility: 'shared',
      }),
    );
  }
  const res = await admin.put('/api/arena/models', { modelConfigIds: enrolled.map((c) => c.id) });
  expect(res.status, res.text).toBe(200);
});

async function battle(who: SignedInUser, prompt = `Which is better? ${randomUUID()}`) {
  // Without asking for an event stream, as curl or a bare fetch would: it is the route's answer anyway.
  const result = await readSse('/api/arena/battles', { json: { prompt }, token: who.client.accessToken, accept: null });
  expect(result.status, result.text).toBe(200);
  const battleId = (result.events[0]!.data as unknown as { battleId: string }).battleId;
  return { battleId, result };
}

describe('arena: blind battles', () => {
  it('streams two anonymous answers in parallel, naming no model anywhere before the vote', async () => {
    const { battleId, result } = await battle(alice);
    expect(result.events[0]!.event).toBe('meta');
    expect(Object.keys(result.events[0]!.data)).toEqual(['battleId']);
    const columns = new Set(result.events.slice(1).map((e) => (e.data as unknown as { column: number }).column));
    expect([...columns].sort()).toEqual([0, 1]);
    const ends = result.events.filter((e) => e.event === 'done');
    expect(ends).toHaveLength(2);

    const secrets = enrolled.flatMap((c) => [c.id, c.name, c.model]);
    const wire = JSON.stringify(result.events) + JSON.stringify([...result.headers.entries()]);
    for (const secret of secrets) expect(wire).not.toContain(secret);
    const before = await alice.client.get<Battle>(`/api/arena/battles/${battleId}`);
    expect(before.body.revealed).toBeNull();
    expect(before.body.sides.map((s) => s.label)).toEqual(['Model A', 'Model B']);
    expect(before.body.sides.every((s) => s.content.length > 0 && s.generationId === null)).toBe(true);
    for (const secret of secrets) expect(before.text).not.toContain(secret);
    // A model config's usage counts chats only: counting arena sides would give a battle's pair away.
    for (const config of enrolled) {
      const usage = await alice.client.get<{ sessions: number }>(`/api/model-configs/${config.id}/usage`);
      expect(usage.status).toBe(200);
      expect(usage.body.sessions).toBe(0);
    }

    const vote = await alice.client.post<VoteResult>(`/api/arena/battles/${battleId}/vote`, { winner: 'a' });
    expect(vote.status).toBe(200);
    // Two different enrolled models, revealed by name.
    expect(new Set([vote.body.a.modelConfigId, vote.body.b.modelConfigId])).toEqual(new Set(enrolled.map((c) => c.id)));
    expect(enrolled.map((c) => c.name)).toContain(vote.body.a.name);
    const after = await alice.client.get<Battle>(`/api/arena/battles/${battleId}`);
    expect(after.body).toMatchObject({ winner: 'a', revealed: { a: vote.body.a, b: vote.body.b } });
  });

  it('takes one vote per battle, from its own user only', async () => {
    const { battleId } = await battle(alice);
    expectEnvelope(
      await bob.client.post(`/api/arena/battles/${battleId}/vote`, { winner: 'b' }),
      404,
      'ARENA_BATTLE_NOT_FOUND',
    );
    expectEnvelope(await bob.client.get(`/api/arena/battles/${battleId}`), 404, 'ARENA_BATTLE_NOT_FOUND');
    expectEnvelope(await bob.client.post(`/api/arena/battles/${battleId}/stop`), 404, 'ARENA_BATTLE_NOT_FOUND');
    // Both answers have ended: stopping is still 202 and says nothing was generating.
    const stop = await alice.client.post(`/api/arena/battles/${battleId}/stop`);
    expect([stop.status, stop.body]).toEqual([202, { stopping: false }]);
    expectEnvelope(
      await alice.client.post(`/api/arena/battles/${battleId}/vote`, { winner: 'left' }),
      400,
      'VALIDATION_FAILED',
    );
    expect((await alice.client.post(`/api/arena/battles/${battleId}/vote`, { winner: 'tie' })).status).toBe(200);
    expectEnvelope(
      await alice.client.post(`/api/arena/battles/${battleId}/vote`, { winner: 'a' }),
      409,
      'ARENA_ALREADY_VOTED',
    );
    expect((await alice.client.get<Battle>(`/api/arena/battles/${battleId}`)).body.winner).toBe('tie');
  });

  it('updates the leaderboard with every vote: Elo moves by K = 4 from 1000, with BT intervals and win rates', async () => {
    const board = async () => (await alice.client.get<Leaderboard>('/api/arena/leaderboard')).body;
    const before = await board();
    const { battleId } = await battle(bob);
    const vote = (await bob.client.post<VoteResult>(`/api/arena/battles/${battleId}/vote`, { winner: 'b' })).body;
    const after = await board();
    expect(after.totalVotes).toBe(before.totalVotes + 1);
    const entry = (b: Leaderboard, id: string | null) => b.items.find((i) => i.modelConfigId === id)!;
    const winner = entry(after, vote.b.modelConfigId);
    const loser = entry(after, vote.a.modelConfigId);
    expect(winner.wins).toBe(entry(before, vote.b.modelConfigId).wins + 1);
    expect(loser.losses).toBe(entry(before, vote.a.modelConfigId).losses + 1);
    expect(winner.elo).toBeGreaterThan(entry(before, vote.b.modelConfigId).elo);
    expect(winner.elo - entry(before, vote.b.modelConfigId).elo).toBeLessThanOrEqual(4);
    expect(winner.ciLow).toBeLessThanOrEqual(winner.ciHigh);
    expect(after.winRates).toHaveLength(after.items.length);
    // Sorted by Elo, highest first.
    const elos = after.items.map((i) => i.elo);
    expect([...elos].sort((x, y) => y - x)).toEqual(elos);
    const future = (await alice.client.get<Leaderboard>('/api/arena/leaderboard?from=2999-01-01')).body;
    expect(future.totalVotes).toBe(0);
  });

  it('lets admins leave a user’s votes out of the leaderboard', async () => {
    const carol = await newSignedInUser();
    const board = async () => (await alice.client.get<Leaderboard>('/api/arena/leaderboard')).body.totalVotes;
    expect((await admin.put(`/api/arena/excluded-users/${carol.user.id}`)).status).toBe(204);
    const before = await board();
    const { battleId } = await battle(carol);
    expect((await carol.client.post(`/api/arena/battles/${battleId}/vote`, { winner: 'a' })).status).toBe(200);
    expect(await board()).toBe(before);
    expect((await admin.delete(`/api/arena/excluded-users/${carol.user.id}`)).status).toBe(204);
    expect(await board()).toBe(before + 1);
    expectEnvelope(await alice.client.put(`/api/arena/excluded-users/${carol.user.id}`), 403, 'FORBIDDEN');
  });

  it('enrols only shared configs, and only admins may change the enrolment', async () => {
    const mine = await createModelConfig(alice.client, providerId);
    expectEnvelope(await alice.client.put('/api/arena/models', { modelConfigIds: [mine.id] }), 403, 'FORBIDDEN');
    expect((await new ApiClient().put('/api/arena/models', { modelConfigIds: [] })).status).toBe(401);
    const privateOne = await createModelConfig(admin, providerId);
    const refused = await admin.put('/api/arena/models', { modelConfigIds: [enrolled[0]!.id, privateOne.id] });
    expect(detailPaths(expectEnvelope(refused, 400, 'ARENA_MODEL_NOT_SHARED'))).toEqual(['modelConfigIds.1']);
    // Nothing changed by the refused request.
    const models = (await alice.client.get<{ items: { modelConfigId: string }[] }>('/api/arena/models')).body.items;
    expect(models.map((m) => m.modelConfigId)).toEqual(enrolled.map((c) => c.id));
    expectEnvelope(await alice.client.post('/api/arena/battles', { prompt: '' }), 400, 'VALIDATION_FAILED');
  });

  it('hides a config made private from the arena and its leaderboard until it is shared again', async () => {
    const hidden = enrolled[1]!;
    const visible = async () => ({
      models: (await alice.client.get<{ items: { modelConfigId: string }[] }>('/api/arena/models')).body.items.map(
        (m) => m.modelConfigId,
      ),
      board: (await alice.client.get<Leaderboard>('/api/arena/leaderboard')).body,
    });
    expect((await visible()).board.items.map((i) => i.modelConfigId)).toContain(hidden.id);
    expect(
      (await admin.patch(`/api/model-configs/${hidden.id}`, { visibility: 'private', name: 'Secret' })).status,
    ).toBe(200);
    const after = await visible();
    expect(after.models).toEqual([enrolled[0]!.id]);
    expect(after.board.items.map((i) => i.modelConfigId)).not.toContain(hidden.id);
    expect(JSON.stringify(after)).not.toContain('Secret');
    expect(after.board.winRates).toHaveLength(after.board.items.length);
    expect((await admin.patch(`/api/model-configs/${hidden.id}`, { visibility: 'shared' })).status).toBe(200);
    expect((await visible()).models).toEqual(enrolled.map((c) => c.id));
  });

  it('sends no thinking, thinking time or token counts of either side before the vote, and shows the thinking after', async () => {
    const tag = randomUUID().slice(0, 6);
    const pair = [
      await createModelConfig(admin, providerId, {
        name: `Arena plain ${tag}`,
        model: 'mock-chat@tokens=12,tps=500',
        visibility: 'shared',
      }),
      await createModelConfig(admin, providerId, {
        name: `Arena thinker ${tag}`,
        model: 'mock-reasoning@tps=500,reasoning=20',
        visibility: 'shared',
      }),
    ];
    expect((await admin.put('/api/arena/models', { modelConfigIds: pair.map((c) => c.id) })).status).toBe(200);
    try {
      const { battleId, result } = await battle(alice);
      // Nor the token counts, which include the thinking's.
      expect(result.events.some((e) => e.event === 'reasoning' || e.event === 'usage')).toBe(false);
      for (const e of result.events.filter((e) => ['content', 'done', 'reclassify'].includes(e.event))) {
        const data = e.data as unknown as { reasoningMs?: number | null; reasoning?: string; ttftMs?: number };
        expect(data.reasoningMs ?? null).toBeNull();
        expect(data.reasoning ?? '').toBe('');
        // Only the side that did not think would carry its time to first token on its first answer text.
        if (e.event === 'content') expect(data.ttftMs).toBeUndefined();
      }
      const before = (await alice.client.get<Battle>(`/api/arena/battles/${battleId}`)).body;
      expect(before.sides.map((side) => side.reasoning)).toEqual([null, null]);
      expect(before.sides.every((side) => side.content.length > 0)).toBe(true);

      expect((await alice.client.post(`/api/arena/battles/${battleId}/vote`, { winner: 'tie' })).status).toBe(200);
      const after = (await alice.client.get<Battle>(`/api/arena/battles/${battleId}`)).body;
      expect(after.sides.filter((side) => (side.reasoning ?? '').length > 0)).toHaveLength(1);
    } finally {
      await admin.put('/api/arena/models', { modelConfigIds: enrolled.map((c) => c.id) });
    }
  });
});
