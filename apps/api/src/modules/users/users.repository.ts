import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AdminUserQuery } from '@modelyard/contracts';
import { Repository } from 'typeorm';
import { likePattern } from '../../common/pagination';
import { UserEntity } from './user.entity';

export type NewUser = Pick<UserEntity, 'email' | 'nickname' | 'passwordHash' | 'role'>;
export type UserChanges = Partial<
  Pick<
    UserEntity,
    'email' | 'nickname' | 'passwordHash' | 'role' | 'isActive' | 'avatarFile' | 'preferences' | 'lastLoginAt'
  >
>;

export interface UserAuthState {
  role: UserEntity['role'];
  isActive: boolean;
  tokenVersion: number;
  /** See `UserEntity.keptSessionId`; absent in states cached before the column existed. */
  keptSessionId?: string | null;
  keptSessionVersion?: number | null;
  /** Sessions ended (logged out, revoked) recently enough that their access tokens may still be unexpired. */
  endedSessionIds?: string[];
}

@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity) private readonly repo: Repository<UserEntity>) {}

  findById(id: string): Promise<UserEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findFirstAdmin(): Promise<UserEntity | null> {
    return this.repo.findOne({ where: { role: 'admin', isActive: true }, order: { createdAt: 'ASC' } });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.repo.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  async emailTaken(email: string, exceptId?: string): Promise<boolean> {
    const qb = this.repo.createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email });
    if (exceptId) qb.andWhere('u.id <> :exceptId', { exceptId });
    return (await qb.getCount()) > 0;
  }

  async nicknameTaken(nickname: string, exceptId?: string): Promise<boolean> {
    const qb = this.repo.createQueryBuilder('u').where('lower(u.nickname) = lower(:nickname)', { nickname });
    if (exceptId) qb.andWhere('u.id <> :exceptId', { exceptId });
    return (await qb.getCount()) > 0;
  }

  async create(user: NewUser): Promise<UserEntity> {
    const entity = this.repo.create({ ...user, isActive: true, tokenVersion: 0, preferences: {} });
    return this.repo.save(entity);
  }

  async update(id: string, changes: UserChanges): Promise<UserEntity> {
    await this.repo.update({ id }, changes);
    return this.repo.findOneByOrFail({ id });
  }

  /**
   * Demotes or disables `id` unless no other active admin would be left (null then). The active admins' rows are
   * locked first: of two admins demoting each other at once, the second waits, sees the first change, and is refused.
   */
  async updateKeepingAnAdmin(id: string, changes: UserChanges): Promise<UserEntity | null> {
    return this.repo.manager.transaction(async (tx) => {
      const admins = (await tx.query(`SELECT id FROM users WHERE role = 'admin' AND is_active FOR UPDATE`)) as {
        id: string;
      }[];
      if (admins.every((admin) => admin.id === id)) return null;
      await tx.update(UserEntity, { id }, changes);
      return tx.findOneByOrFail(UserEntity, { id });
    });
  }

  /**
   * Ends the user's sessions, in one statement: every refresh token is revoked for good (enabling a disabled account
   * again does not bring back a cookie that may be why it was disabled), and every access token issued so far stops
   * working (the token version moves on). Except, with `keep`, the session that changed the password: its refresh
   * family stays, and its access tokens from `kept_session_version` on still count (a session kept by the previous
   * change keeps its start, so two changes from one session leave its older tokens working too). With
   * `passwordHash`, the password changes in the same statement. Every right-hand side sees the old row.
   */
  async endSessions(id: string, options: { keep: string | null; passwordHash?: string }): Promise<void> {
    await this.repo.query(
      `WITH revoked AS (
         UPDATE refresh_tokens SET revoked_at = now()
          WHERE user_id = $1 AND revoked_at IS NULL AND ($2::uuid IS NULL OR family_id <> $2::uuid)
       )
       UPDATE users SET password_hash = COALESCE($3::text, password_hash),
              kept_session_version = CASE WHEN $2::uuid IS NULL THEN NULL
                                          WHEN kept_session_id = $2::uuid THEN kept_session_version
                                          ELSE token_version END,
              kept_session_id = $2::uuid,
              token_version = token_version + 1,
              updated_at = now()
        WHERE id = $1`,
      [id, options.keep, options.passwordHash ?? null],
    );
  }

  /**
   * The user's auth state, with the sessions (refresh-token families) revoked in the last `endedWithinSeconds`:
   * access tokens of those sessions may still be unexpired, and the guard refuses them.
   */
  async authState(id: string, endedWithinSeconds: number): Promise<UserAuthState | null> {
    const rows: {
      role: UserEntity['role'];
      is_active: boolean;
      token_version: number;
      kept_session_id: string | null;
      kept_session_version: number | null;
      ended_session_ids: string[];
    }[] = await this.repo.query(
      `SELECT u.role, u.is_active, u.token_version, u.kept_session_id, u.kept_session_version,
              ARRAY(SELECT DISTINCT r.family_id::text FROM refresh_tokens r
                     WHERE r.user_id = u.id AND r.revoked_at > now() - make_interval(secs => $2)) AS ended_session_ids
         FROM users u WHERE u.id = $1`,
      [id, endedWithinSeconds],
    );
    const row = rows[0];
    return row
      ? {
          role: row.role,
          isActive: row.is_active,
          tokenVersion: row.token_version,
          keptSessionId: row.kept_session_id,
          keptSessionVersion: row.kept_session_version,
          endedSessionIds: row.ended_session_ids,
        }
      : null;
  }

  async list(query: AdminUserQuery): Promise<[UserEntity[], number]> {
    const qb = this.repo.createQueryBuilder('u');
    if (query.search) {
      qb.andWhere("(u.email ILIKE :pattern ESCAPE '\\' OR u.nickname ILIKE :pattern ESCAPE '\\')", {
        pattern: likePattern(query.search),
      });
    }
    if (query.role) qb.andWhere('u.role = :role', { role: query.role });
    if (query.isActive !== undefined) qb.andWhere('u.is_active = :isActive', { isActive: query.isActive });
    return qb
      .orderBy('u.created_at', 'DESC')
      .addOrderBy('u.id', 'ASC')
      .skip((query.page - 1) * query.pageSize)
      .take(query.pageSize)
      .getManyAndCount();
  }

  /** Active users whose nickname or e-mail contains `search`, for pickers such as "add a team member". */
  directory(search: string, limit: number): Promise<Pick<UserEntity, 'id' | 'nickname' | 'email'>[]> {
    return this.repo
      .createQueryBuilder('u')
      .select(['u.id', 'u.nickname', 'u.email'])
      .where('u.is_active')
      .andWhere("(u.email ILIKE :pattern ESCAPE '\\' OR u.nickname ILIKE :pattern ESCAPE '\\')", {
        pattern: likePattern(search),
      })
      .orderBy('lower(u.nickname)', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  /**
   * Runs `work` while holding a transaction-scoped advisory lock, so several API processes starting together
   * bootstrap exactly one admin.
   */
  async withBootstrapLock<T>(work: (users: Repository<UserEntity>) => Promise<T>): Promise<T> {
    return this.repo.manager.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['modelyard:admin-bootstrap']);
      return work(manager.getRepository(UserEntity));
    });
  }
}
