import { type ArenaWinner, type Battle, MESSAGE_STATUSES, type MessageStatus } from '@modelyard/contracts';
import { type ColumnAnswer, isStreaming, streamingAnswer } from '@/views/compare/compare-columns';

export const SIDE_KEYS = ['a', 'b'] as const;

/** The vote buttons, in the order they are shown. */
export const VOTE_CHOICES: readonly ArenaWinner[] = ['a', 'b', 'tie', 'bothBad'];

/** Votes are taken once both sides have ended, whichever way. */
export const canVote = (answers: readonly (ColumnAnswer | null)[]) =>
  answers.length === 2 && answers.every((answer) => answer !== null && !isStreaming(answer));

const STATUSES: readonly string[] = MESSAGE_STATUSES;

/** A battle's sides as saved on the server (after a lost connection), as column answers. */
export function answersFromBattle(battle: Pick<Battle, 'sides'>): ColumnAnswer[] {
  return battle.sides.map((side) => {
    const status = (STATUSES.includes(side.status) ? side.status : 'complete') as MessageStatus;
    return {
      ...streamingAnswer(),
      content: side.content,
      reasoning: side.reasoning ?? '',
      status,
      startedAt: null,
      error: status === 'error' ? { code: 'GENERATION_FAILED', message: '' } : null,
    };
  });
}
