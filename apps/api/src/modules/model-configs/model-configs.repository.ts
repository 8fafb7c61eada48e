import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { ModelConfigQuery } from '@modelyard/contracts';
import { Brackets, In, Repository } from 'typeorm';
import { likePattern } from '../../common/pagination';
import { ModelConfigEntity } from './model-config.entity';

export type NewModelConfig = Omit<ModelConfigEntity, 'id' | 'createdAt' | 'updatedAt' | 'provider'>;
export type ModelConfigChanges = Partial<NewModelConfig>;

const SORT_COLUMNS: Record<ModelConfigQuery['sort'], string> = {
  name: 'lower(c.name)',
  model: 'lower(c.model)',
  createdAt: 'c.created_at',
  updatedAt: 'c.updated_at',
};

@Injectable()
export class ModelConfigsRepository {
  constructor(@InjectRepository(ModelConfigEntity) private readonly repo: Repository<ModelConfigEntity>) {}

  /** The caller's own configs plus the shared ones (unless `mine`), with their provider joined. */
  async listVisible(
    userId: string,
    query: ModelConfigQuery,
    includeDisabledProviders: boolean,
  ): Promise<[ModelConfigEntity[], number]> {
    const qb = this.repo.createQueryBuilder('c').innerJoinAndSelect('c.provider', 'p');
    if (query.mine) qb.where('c.owner_id = :userId', { userId });
    else qb.where(new Brackets((w) => w.where('c.owner_id = :userId', { userId }).orWhere(`c.visibility = 'shared'`)));
    if (!includeDisabledProviders)
      qb.andWhere(new Brackets((w) => w.where('p.enabled').orWhere('c.owner_id = :userId', { userId })));
    if (query.search) {
      const pattern = likePattern(query.search);
      qb.andWhere(
        new Brackets((w) =>
          w.where('c.name ILIKE :pattern', { pattern }).orWhere('c.model ILIKE :pattern', { pattern }),
        ),
      );
    }
    if (query.providerId) qb.andWhere('c.provider_id = :providerId', { providerId: query.providerId });
    if (query.visibility) qb.andWhere('c.visibility = :visibility', { visibility: query.visibility });
    qb.orderBy(SORT_COLUMNS[query.sort], query.order === 'asc' ? 'ASC' : 'DESC').addOrderBy('c.id', 'ASC');
    // offset/limit, not skip/take: the join is many-to-one, so rows never multiply, and raw sort expressions work.
    qb.offset((query.page - 1) * query.pageSize).limit(query.pageSize);
    return qb.getManyAndCount();
  }

  findById(id: string): Promise<ModelConfigEntity | null> {
    return this.repo.findOne({ where: { id }, relations: { provider: true } });
  }

  findByIds(ids: string[]): Promise<ModelConfigEntity[]> {
    return this.repo.find({ where: { id: In(ids) }, relations: { provider: true } });
  }

  async nameTaken(ownerId: string, name: string, exceptId?: string): Promise<boolean> {
    const qb = this.repo
      .createQueryBuilder('c')
      .where('c.owner_id = :ownerId AND lower(c.name) = lower(:name)', { ownerId, name });
    if (exceptId) qb.andWhere('c.id <> :exceptId', { exceptId });
    return (await qb.getCount()) > 0;
  }

  async create(config: NewModelConfig): Promise<ModelConfigEntity> {
    const saved = await this.repo.save(this.repo.create(config));
    return (await this.findById(saved.id))!;
  }

  async update(id: string, changes: ModelConfigChanges): Promise<ModelConfigEntity> {
    await this.repo.update({ id }, changes);
    return (await this.findById(id))!;
  }

  /** Learned reasoning behaviour is bookkeeping, not an edit: `updated_at` stays. */
  async setReasoningStartsOpen(id: string, value: boolean): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ reasoningStartsOpen: value, updatedAt: () => 'updated_at' })
      .where('id = :id', { id })
      .execute();
  }

  async delete(ids: string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.repo.delete({ id: In(ids) });
    return result.affected ?? 0;
  }

  /** Sessions using a config; only one owner's when `ownerId` is given (users must not learn about others'). */
  async sessionsUsing(id: string, ownerId?: string): Promise<number> {
    const rows: { count: string }[] = await this.repo.query(
      // Chats only: arena sides and compare columns are sessions too, and counting them would name an arena
      // battle's models before the vote.
      `SELECT count(*)::text AS count FROM chat_sessions
        WHERE model_config_id = $1 AND kind = 'chat' AND ($2::uuid IS NULL OR owner_id = $2)`,
      [id, ownerId ?? null],
    );
    return Number(rows[0]?.count ?? 0);
  }

  async defaultFor(userId: string): Promise<string | null> {
    const rows: { id: string | null }[] = await this.repo.query(
      'SELECT default_model_config_id AS id FROM users WHERE id = $1',
      [userId],
    );
    return rows[0]?.id ?? null;
  }

  async setDefault(userId: string, configId: string | null): Promise<void> {
    await this.repo.query('UPDATE users SET default_model_config_id = $2 WHERE id = $1', [userId, configId]);
  }
}
