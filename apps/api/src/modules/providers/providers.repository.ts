import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ProviderEntity } from './provider.entity';

export type NewProvider = Omit<ProviderEntity, 'id' | 'createdAt' | 'updatedAt'>;
export type ProviderChanges = Partial<NewProvider>;

@Injectable()
export class ProvidersRepository {
  constructor(@InjectRepository(ProviderEntity) private readonly repo: Repository<ProviderEntity>) {}

  list(options: { enabledOnly: boolean }): Promise<ProviderEntity[]> {
    return this.repo.find({ where: options.enabledOnly ? { enabled: true } : {}, order: { createdAt: 'ASC' } });
  }

  /** One page of `list`, and how many there are in all. */
  listPage(options: { enabledOnly: boolean; page: number; pageSize: number }): Promise<[ProviderEntity[], number]> {
    return this.repo.findAndCount({
      where: options.enabledOnly ? { enabled: true } : {},
      order: { createdAt: 'ASC', id: 'ASC' },
      skip: (options.page - 1) * options.pageSize,
      take: options.pageSize,
    });
  }

  findById(id: string): Promise<ProviderEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByName(name: string): Promise<ProviderEntity | null> {
    return this.repo.createQueryBuilder('p').where('lower(p.name) = lower(:name)', { name }).getOne();
  }

  async nameTaken(name: string, exceptId?: string): Promise<boolean> {
    const qb = this.repo.createQueryBuilder('p').where('lower(p.name) = lower(:name)', { name });
    if (exceptId) qb.andWhere('p.id <> :exceptId', { exceptId });
    return (await qb.getCount()) > 0;
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  create(provider: NewProvider): Promise<ProviderEntity> {
    return this.repo.save(this.repo.create(provider));
  }

  async update(id: string, changes: ProviderChanges): Promise<ProviderEntity> {
    await this.repo.update({ id }, changes);
    return this.repo.findOneByOrFail({ id });
  }

  /** Status is bookkeeping, not an edit: it must not move `updated_at`. */
  async setStatus(id: string, status: ProviderEntity['status']): Promise<void> {
    await this.repo
      .createQueryBuilder()
      .update()
      .set({ status, updatedAt: () => 'updated_at' })
      .where('id = :id', { id })
      .execute();
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }

  listSealedWithOtherKey(currentKeyId: string): Promise<ProviderEntity[]> {
    return this.repo
      .createQueryBuilder('p')
      .where('p.secrets_key_id IS NOT NULL AND p.secrets_key_id <> :currentKeyId', { currentKeyId })
      .getMany();
  }

  /**
   * Model configs per provider that `viewerId` can see (their own and shared ones); all of them when null (admins):
   * counting other users' private configs told a user how many there were.
   */
  async modelConfigCounts(ids: string[], viewerId: string | null): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const rows: { provider_id: string; count: string }[] = await this.repo.query(
      `SELECT provider_id, count(*)::text AS count FROM model_configs
        WHERE provider_id = ANY($1) AND ($2::uuid IS NULL OR owner_id = $2::uuid OR visibility = 'shared')
        GROUP BY provider_id`,
      [ids, viewerId],
    );
    return new Map(rows.map((r) => [r.provider_id, Number(r.count)]));
  }
}
