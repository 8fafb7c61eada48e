import type { AuthStyle, ProviderKind, ProviderPresetId, ProviderStatus, ProviderTimeouts } from '@modelyard/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('providers')
export class ProviderEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  kind: ProviderKind;

  @Column('text')
  preset: ProviderPresetId;

  @Column('text', { name: 'base_url' })
  baseUrl: string;

  @Column('text', { name: 'auth_style' })
  authStyle: AuthStyle;

  @Column('text', { name: 'auth_header_name', nullable: true })
  authHeaderName: string | null;

  @Column('text', { name: 'api_version', nullable: true })
  apiVersion: string | null;

  /** Sealed `{ apiKey, headers }`; see SecretBox. Never leaves the server. */
  @Column('text', { name: 'secrets_encrypted', nullable: true })
  secretsEncrypted: string | null;

  @Column('text', { name: 'secrets_key_id', nullable: true })
  secretsKeyId: string | null;

  @Column('text', { name: 'api_key_hint', nullable: true })
  apiKeyHint: string | null;

  @Column('text', { name: 'header_names', array: true })
  headerNames: string[];

  @Column('jsonb')
  timeouts: ProviderTimeouts;

  @Column('text', { name: 'manual_models', array: true })
  manualModels: string[];

  @Column('boolean')
  enabled: boolean;

  @Column('jsonb', { nullable: true })
  status: ProviderStatus | null;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
