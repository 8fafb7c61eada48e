import { Injectable } from '@nestjs/common';
import bcrypt from 'bcrypt';
import { AppConfig } from '../../config/app-config';

/** bcrypt behind a seam, so unit tests need not pay for cost-12 hashes. */
@Injectable()
export class PasswordHasher {
  private readonly cost: number;
  /** Compared against when the email is unknown, so both failures take the same time. */
  private decoy: Promise<string> | null = null;

  constructor(config: AppConfig) {
    this.cost = config.env.BCRYPT_COST;
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  verify(password: string, hash: string): Promise<boolean> {
    return bcrypt.compare(password, hash);
  }

  async verifyDecoy(password: string): Promise<false> {
    this.decoy ??= bcrypt.hash('decoy-password-for-timing', this.cost);
    await bcrypt.compare(password, await this.decoy);
    return false;
  }
}
