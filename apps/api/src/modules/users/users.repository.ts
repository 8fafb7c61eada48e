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

  /** Makes every access token issued so far for this user invalid. */
  async bumpTokenVersion(id: string): Promise<void> {
    await this.repo.increment({ id }, 'tokenVersion', 1);
  }

  async authState(id: string): Promise<UserAuthState | null> {
    const row = await this.repo.findOne({ where: { id }, select: { role: true, isActive: true, tokenVersion: true } });
    return row ? { role: row.role, isActive: row.isActive, tokenVersion: row.tokenVersion } : null;
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
