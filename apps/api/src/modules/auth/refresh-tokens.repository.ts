import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThan, Repository } from 'typeorm';
import { RefreshTokenEntity } from './refresh-token.entity';

export type NewRefreshToken = Pick<
  RefreshTokenEntity,
  'userId' | 'familyId' | 'tokenHash' | 'expiresAt' | 'ip' | 'userAgent'
>;

@Injectable()
export class RefreshTokensRepository {
  constructor(@InjectRepository(RefreshTokenEntity) private readonly repo: Repository<RefreshTokenEntity>) {}

  async create(token: NewRefreshToken): Promise<RefreshTokenEntity> {
    return this.repo.save(this.repo.create(token));
  }

  findByHash(tokenHash: string): Promise<RefreshTokenEntity | null> {
    return this.repo.findOneBy({ tokenHash });
  }

  /** Atomically marks a live token as spent; false when another request spent or revoked it first. */
  async claim(id: string): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update()
      .set({ usedAt: () => 'now()' })
      .where('id = :id AND used_at IS NULL AND revoked_at IS NULL', { id })
      .execute();
    return (result.affected ?? 0) === 1;
  }

  async setReplacement(id: string, replacedBy: string): Promise<void> {
    await this.repo.update({ id }, { replacedBy });
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.repo.update({ familyId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }

  async deleteExpired(before: Date): Promise<number> {
    const result = await this.repo.delete({ expiresAt: LessThan(before) });
    return result.affected ?? 0;
  }
}
