import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('chat_sessions')
export class ChatSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'owner_id' })
  ownerId: string;

  @Column('text')
  title: string;

  /** `chat` sessions are listed in the chat; `compare` and `arena` ones are the columns of a compare run or battle. */
  @Column('text')
  kind: 'chat' | 'compare' | 'arena';

  /** Still the placeholder or a generated title: the auto-titler may (re)write it; a rename stops that. */
  @Column('boolean', { name: 'title_is_auto' })
  titleIsAuto: boolean;

  @Column('uuid', { name: 'model_config_id', nullable: true })
  modelConfigId: string | null;

  @Column('text', { name: 'system_prompt', nullable: true })
  systemPrompt: string | null;

  /** The library prompt the system prompt was rendered from, its version and name as of then. */
  @Column('uuid', { name: 'prompt_id', nullable: true })
  promptId: string | null;

  @Column('integer', { name: 'prompt_version', nullable: true })
  promptVersion: number | null;

  @Column('text', { name: 'prompt_name', nullable: true })
  promptName: string | null;

  @Column('boolean')
  pinned: boolean;

  @Column('boolean')
  archived: boolean;

  @Column('uuid', { name: 'current_leaf_id', nullable: true })
  currentLeafId: string | null;

  @Column('integer', { name: 'message_count' })
  messageCount: number;

  @Column('timestamptz', { name: 'last_activity_at' })
  lastActivityAt: Date;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
