import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why the model stopped (`stop`, `length` when it reached the token limit, `content_filter`…), as the provider said
 * it: an answer cut off at the limit looked finished, with nothing to tell the user to raise max tokens or go on.
 */
export class ChatMessageFinishReason1764500000000 implements MigrationInterface {
  name = 'ChatMessageFinishReason1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE chat_messages ADD COLUMN finish_reason text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE chat_messages DROP COLUMN finish_reason`);
  }
}
