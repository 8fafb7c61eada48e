import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AuditLogQuery } from '@modelyard/contracts';
import { Repository } from 'typeorm';
import { likePattern } from '../../common/pagination';
import { AuditLogEntity } from './audit-log.entity';

export type NewAuditLog = Omit<AuditLogEntity, 'id' | 'createdAt'>;
export interface AuditLogRow extends AuditLogEntity {
  actorEmail: string | null;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditLogEntity) private readonly repo: Repository<AuditLogEntity>) {}

  async insert(entry: NewAuditLog): Promise<void> {
    await this.repo.insert(entry as Parameters<Repository<AuditLogEntity>['insert']>[0]);
  }

  async list(query: AuditLogQuery): Promise<[AuditLogRow[], number]> {
    const qb = this.repo
      .createQueryBuilder('a')
      .leftJoin('users', 'actor', 'actor.id = a.actor_id')
      .addSelect('actor.email', 'actor_email');
    // Part of an action's name finds it (`user` finds user.disabled and user.role_changed), case-insensitively.
    if (query.action) qb.andWhere('a.action ILIKE :action', { action: likePattern(query.action) });
    if (query.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
    if (query.targetId) qb.andWhere('a.target_id = :targetId', { targetId: query.targetId });
    const total = await qb.getCount();
    const { entities, raw } = await qb
      .orderBy('a.created_at', 'DESC')
      .addOrderBy('a.id', 'ASC')
      .offset((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .getRawAndEntities<{ actor_email: string | null }>();
    return [entities.map((e, i) => Object.assign(e, { actorEmail: raw[i]?.actor_email ?? null })), total];
  }
}
