import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A password change ends every other session at once but not the caller's: access tokens name their session (the
 * refresh-token family), and the user row names the one session whose older access tokens still count, and from
 * which token version. Before, the caller's own access token died with the others (API.md: "all other sessions end").
 */
export class PasswordChangeKeepsSession1764600000000 implements MigrationInterface {
  name = 'PasswordChangeKeepsSession1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN kept_session_id uuid, ADD COLUMN kept_session_version integer`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users DROP COLUMN kept_session_id, DROP COLUMN kept_session_version`);
  }
}
