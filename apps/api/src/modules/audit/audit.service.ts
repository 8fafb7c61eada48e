import { isDeepStrictEqual } from 'node:util';
import { Injectable } from '@nestjs/common';
import type { AuditLogEntry, AuditLogQuery, Paginated } from '@modelyard/contracts';
import type { RequestMeta } from '../../common/auth/auth.decorators';
import { paginated } from '../../common/pagination';
import { AuditRepository } from './audit.repository';

export interface AuditEvent {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  meta?: RequestMeta;
}

@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  /** Records the event; an update whose before and after are the same changed nothing and is no event. */
  async record(event: AuditEvent): Promise<void> {
    if (event.before !== undefined && event.after !== undefined && isDeepStrictEqual(event.before, event.after)) return;
    await this.audit.insert({
      actorId: event.actorId,
      action: event.action,
      targetType: event.targetType,
      targetId: event.targetId,
      before: event.before ?? null,
      after: event.after ?? null,
      ip: event.meta?.ip ?? null,
      requestId: event.meta?.requestId ?? null,
    });
  }

  async list(query: AuditLogQuery): Promise<Paginated<AuditLogEntry>> {
    const [rows, total] = await this.audit.list(query);
    return paginated(
      rows.map((row) => ({
        id: row.id,
        actorId: row.actorId,
        actorEmail: row.actorEmail,
        action: row.action,
        targetType: row.targetType,
        targetId: row.targetId,
        targetLabel: row.targetLabel,
        before: row.before,
        after: row.after,
        ip: row.ip,
        createdAt: row.createdAt.toISOString(),
      })),
      total,
      query.page,
      query.pageSize,
    );
  }
}
