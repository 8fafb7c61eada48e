import type { Preferences, Role } from '@modelyard/contracts';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('users')
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  email: string;

  @Column('text')
  nickname: string;

  @Column('text', { name: 'password_hash' })
  passwordHash: string;

  @Column('text')
  role: Role;

  @Column('boolean', { name: 'is_active' })
  isActive: boolean;

  /** Bumped whenever access tokens issued so far must stop working (disable, password change). */
  @Column('integer', { name: 'token_version' })
  tokenVersion: number;

  /**
   * The session (refresh-token family) that changed the password last: its access tokens from
   * `keptSessionVersion` on still count after the bump. Cleared when every token must end (disable).
   */
  @Column('uuid', { name: 'kept_session_id', nullable: true })
  keptSessionId: string | null;

  @Column('integer', { name: 'kept_session_version', nullable: true })
  keptSessionVersion: number | null;

  @Column('text', { name: 'avatar_file', nullable: true })
  avatarFile: string | null;

  @Column('jsonb')
  preferences: Preferences;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column('timestamptz', { name: 'last_login_at', nullable: true })
  lastLoginAt: Date | null;
}
