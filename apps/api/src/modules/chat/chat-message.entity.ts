import type { ChatMessageRole, MessageStatus, Usage } from '@modelyard/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('chat_messages')
export class ChatMessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'session_id' })
  sessionId: string;

  @Column('uuid', { name: 'parent_id', nullable: true })
  parentId: string | null;

  @Column('text')
  role: ChatMessageRole;

  @Column('text')
  content: string;

  @Column('text', { nullable: true })
  reasoning: string | null;

  @Column('integer', { name: 'reasoning_ms', nullable: true })
  reasoningMs: number | null;

  @Column('text', { nullable: true })
  model: string | null;

  @Column('uuid', { name: 'model_config_id', nullable: true })
  modelConfigId: string | null;

  @Column('text')
  status: MessageStatus;

  @Column('jsonb', { nullable: true })
  usage: Usage | null;

  @Column('integer', { name: 'ttft_ms', nullable: true })
  ttftMs: number | null;

  /** Why the model stopped, as the provider said (`stop`, `length` at the token limit…); null until it ends. */
  @Column('text', { name: 'finish_reason', nullable: true })
  finishReason: string | null;

  @Column('integer', { name: 'total_ms', nullable: true })
  totalMs: number | null;

  @Column('jsonb', { nullable: true })
  error: { code: string; message: string } | null;

  @Column('uuid', { name: 'generation_id', nullable: true })
  generationId: string | null;

  @Column('text', { name: 'owner_instance', nullable: true })
  ownerInstance: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
