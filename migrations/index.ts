import { InitialSchema1763700000000 } from './1763700000000-InitialSchema';
import { ProvidersAndModelConfigs1763800000000 } from './1763800000000-ProvidersAndModelConfigs';
import { ChatSessions1763900000000 } from './1763900000000-ChatSessions';
import { TeamsAndPrompts1764000000000 } from './1764000000000-TeamsAndPrompts';
import { CompareRuns1764100000000 } from './1764100000000-CompareRuns';
import { Arena1764200000000 } from './1764200000000-Arena';
import { CompareBatches1764300000000 } from './1764300000000-CompareBatches';
import { ChatSearchSkipsStreaming1764400000000 } from './1764400000000-ChatSearchSkipsStreaming';
import { ChatMessageFinishReason1764500000000 } from './1764500000000-ChatMessageFinishReason';
import { PasswordChangeKeepsSession1764600000000 } from './1764600000000-PasswordChangeKeepsSession';

/** Every migration, oldest first. TypeORM records applied ones in the `migrations` table. */
export const migrations = [
  InitialSchema1763700000000,
  ProvidersAndModelConfigs1763800000000,
  ChatSessions1763900000000,
  TeamsAndPrompts1764000000000,
  CompareRuns1764100000000,
  Arena1764200000000,
  CompareBatches1764300000000,
  ChatSearchSkipsStreaming1764400000000,
  ChatMessageFinishReason1764500000000,
  PasswordChangeKeepsSession1764600000000,
];
