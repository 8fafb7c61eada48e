import { Injectable } from '@nestjs/common';
import { PASSWORD_MAX_BYTES } from '@modelyard/contracts';
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

  /**
   * bcrypt compares only the first 72 bytes: a longer password (passwords are set at most 72 bytes long) would pass
   * on its first 72 alone. It is compared against the decoy instead, so it fails in the same time.
   */
  async verify(password: string, hash: string): Promise<boolean> {
    if (Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES) return this.verifyDecoy(password);
    return bcrypt.compare(password, hash);
  }

  async verifyDecoy(password: string): Promise<false> {
    this.decoy ??= bcrypt.hash('decoy-password-for-timing', this.cost);
    await bcrypt.compare(password, await this.decoy);
    return false;
  }
}
