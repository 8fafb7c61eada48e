import { InitialSchema1763700000000 } from './1763700000000-InitialSchema';

/** Every migration, oldest first. TypeORM records applied ones in the `migrations` table. */
export const migrations = [InitialSchema1763700000000];
