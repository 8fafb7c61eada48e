import { z } from 'zod';

export const ARENA_WINNERS = ['a', 'b', 'tie', 'bothBad'] as const;
export type ArenaWinner = (typeof ARENA_WINNERS)[number];

/** Elo as Chatbot Arena publishes it. */
export const ARENA_ELO = { initial: 1000, k: 4, scale: 400, base: 10 } as const;

export const SetArenaModelsSchema = z.object({ modelConfigIds: z.array(z.uuid()).max(100) });
export type SetArenaModelsInput = z.infer<typeof SetArenaModelsSchema>;

export const ArenaModelSchema = z.object({ modelConfigId: z.uuid(), name: z.string(), model: z.string() });
export const ArenaModelListSchema = z.object({ items: z.array(ArenaModelSchema) });

export const CreateBattleSchema = z.object({
  prompt: z.string().trim().min(1, 'is required').max(20_000, 'must be at most 20,000 characters'),
});
export type CreateBattleInput = z.infer<typeof CreateBattleSchema>;

export const VoteSchema = z.object({ winner: z.enum(ARENA_WINNERS) });
export type VoteInput = z.infer<typeof VoteSchema>;

const RevealedSchema = z.object({ modelConfigId: z.uuid().nullable(), name: z.string() });
export const VoteResultSchema = z.object({ a: RevealedSchema, b: RevealedSchema, winner: z.enum(ARENA_WINNERS) });
export type VoteResult = z.infer<typeof VoteResultSchema>;

export const BattleSideSchema = z.object({
  label: z.enum(['Model A', 'Model B']),
  content: z.string(),
  reasoning: z.string().nullable(),
  status: z.string(),
  generationId: z.uuid().nullable(),
});
export const BattleSchema = z.object({
  id: z.uuid(),
  prompt: z.string(),
  sides: z.array(BattleSideSchema),
  winner: z.enum(ARENA_WINNERS).nullable(),
  /** Only once voted. */
  revealed: z.object({ a: RevealedSchema, b: RevealedSchema }).nullable(),
  createdAt: z.string(),
});
export type Battle = z.infer<typeof BattleSchema>;

export const LeaderboardQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
});
export type LeaderboardQuery = z.infer<typeof LeaderboardQuerySchema>;

export const LeaderboardEntrySchema = z.object({
  modelConfigId: z.uuid(),
  name: z.string(),
  elo: z.number(),
  /** Bradley–Terry strength on the Elo scale, with a 95% bootstrap interval. */
  bt: z.number(),
  ciLow: z.number(),
  ciHigh: z.number(),
  votes: z.number().int(),
  wins: z.number().int(),
  losses: z.number().int(),
  ties: z.number().int(),
  winRate: z.number(),
});
export type LeaderboardEntry = z.infer<typeof LeaderboardEntrySchema>;

export const LeaderboardSchema = z.object({
  items: z.array(LeaderboardEntrySchema),
  /** `winRates[i][j]`: share of battles between items i and j that i won (ties count half); null when none. */
  winRates: z.array(z.array(z.number().nullable())),
  totalVotes: z.number().int(),
});
export type Leaderboard = z.infer<typeof LeaderboardSchema>;
