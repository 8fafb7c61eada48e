import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { AuditLogQuery } from '@modelyard/contracts';
import { Repository } from 'typeorm';
import { likePattern } from '../../common/pagination';
import { AuditLogEntity } from './audit-log.entity';

export type NewAuditLog = Omit<AuditLogEntity, 'id' | 'createdAt'>;
export interface AuditLogRow extends AuditLogEntity {
  actorEmail: string | null;
  targetLabel: string | null;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectRepository(AuditLogEntity) private readonly repo: Repository<AuditLogEntity>) {}

  async insert(entry: NewAuditLog): Promise<void> {
    await this.repo.insert(entry as Parameters<Repository<AuditLogEntity>['insert']>[0]);
  }

  async list(query: AuditLogQuery): Promise<[AuditLogRow[], number]> {
    // The target by name as it is now (a user's email, a team's, prompt's, provider's or model config's name); null
    // once it is gone, when the id is all there is.
    const qb = this.repo
      .createQueryBuilder('a')
      .leftJoin('users', 'actor', 'actor.id = a.actor_id')
      .addSelect('actor.email', 'actor_email')
      .leftJoin('users', 'tu', "a.target_type = 'user' AND tu.id = a.target_id")
      .leftJoin('teams', 'tt', "a.target_type = 'team' AND tt.id = a.target_id")
      .leftJoin('prompts', 'tp', "a.target_type = 'prompt' AND tp.id = a.target_id")
      .leftJoin('providers', 'tv', "a.target_type = 'provider' AND tv.id = a.target_id")
      .leftJoin('model_configs', 'tm', "a.target_type = 'model_config' AND tm.id = a.target_id")
      .addSelect('COALESCE(tu.email, tt.name, tp.name, tv.name, tm.name)', 'target_label');
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
      .getRawAndEntities<{ actor_email: string | null; target_label: string | null }>();
    return [
      entities.map((e, i) =>
        Object.assign(e, { actorEmail: raw[i]?.actor_email ?? null, targetLabel: raw[i]?.target_label ?? null }),
      ),
      total,
    ];
  }
}
