import type { ModelConfigVisibility, ModelParams, ReasoningTags } from '@modelyard/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { ProviderEntity } from '../providers/provider.entity';

/** PostgreSQL returns numeric as text to keep precision; prices are small enough for a JS number. */
const numericColumn = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

@Entity('model_configs')
export class ModelConfigEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'owner_id' })
  ownerId: string;

  @Column('uuid', { name: 'provider_id' })
  providerId: string;

  @ManyToOne(() => ProviderEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'provider_id' })
  provider?: ProviderEntity;

  @Column('text')
  name: string;

  @Column('text')
  model: string;

  @Column('jsonb')
  params: ModelParams;

  @Column('text', { name: 'system_prompt', nullable: true })
  systemPrompt: string | null;

  @Column('jsonb', { name: 'reasoning_tags' })
  reasoningTags: ReasoningTags;

  @Column('boolean', { name: 'reasoning_starts_open' })
  reasoningStartsOpen: boolean;

  @Column('text')
  visibility: ModelConfigVisibility;

  @Column('numeric', { name: 'input_price_per_mtok', nullable: true, transformer: numericColumn })
  inputPricePerMTok: number | null;

  @Column('numeric', { name: 'output_price_per_mtok', nullable: true, transformer: numericColumn })
  outputPricePerMTok: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
