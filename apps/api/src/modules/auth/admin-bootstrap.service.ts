import { randomBytes, randomInt } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config';
import { AuditService } from '../audit/audit.service';
import { UserAuthStateCache } from '../users/user-auth-state.cache';
import { UsersRepository } from '../users/users.repository';
import { PasswordHasher } from './password-hasher';

export const ADMIN_PASSWORD_FILE = 'admin-password.txt';

/** 24 characters from an unambiguous alphabet, always with letters and digits. */
export function generateAdminPassword(): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  const chars = Array.from(randomBytes(24), (b) => all[b % all.length] as string);
  chars[randomInt(0, 12)] = letters[randomInt(0, letters.length)] as string;
  chars[randomInt(12, 24)] = digits[randomInt(0, digits.length)] as string;
  return chars.join('');
}

/**
 * Creates the first admin when none exists: ADMIN_EMAIL with ADMIN_PASSWORD, or a generated password printed
 * once and stored in DATA_DIR/admin-password.txt (owner-only). An advisory lock keeps concurrent starts to one admin.
 */
@Injectable()
export class AdminBootstrapService {
  constructor(
    private readonly users: UsersRepository,
    private readonly authState: UserAuthStateCache,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(AdminBootstrapService.name);
  }

  async ensureAdmin(): Promise<void> {
    const env = this.config.env;
    const generated = env.ADMIN_PASSWORD ? null : generateAdminPassword();
    const password = env.ADMIN_PASSWORD ?? (generated as string);
    const created = await this.users.withBootstrapLock(async (repo) => {
      if ((await repo.countBy({ role: 'admin' })) > 0) return null;
      const existing = await repo
        .createQueryBuilder('u')
        .where('lower(u.email) = lower(:email)', { email: env.ADMIN_EMAIL })
        .getOne();
      if (existing) {
        // The configured admin email already belongs to a user: promote it, keep its password.
        await repo.update({ id: existing.id }, { role: 'admin', isActive: true });
        return { id: existing.id, promoted: true };
      }
      const passwordHash = await this.hasher.hash(password);
      const user = await repo.save(
        repo.create({
          email: env.ADMIN_EMAIL.toLowerCase(),
          nickname: 'admin',
          passwordHash,
          role: 'admin',
          isActive: true,
          tokenVersion: 0,
          preferences: {},
        }),
      );
      return { id: user.id, promoted: false };
    });
    if (!created) return;
    await this.audit.record({
      actorId: null,
      action: created.promoted ? 'user.bootstrap_promoted' : 'user.bootstrap_created',
      targetType: 'user',
      targetId: created.id,
      after: { email: env.ADMIN_EMAIL, role: 'admin' },
    });
    if (created.promoted) {
      // Every API process may hold the user's old role for a while: the promotion counts at once.
      await this.authState.invalidate(created.id);
      this.logger.warn({ email: env.ADMIN_EMAIL }, 'no admin existed; promoted the existing ADMIN_EMAIL user');
      return;
    }
    if (generated) {
      const file = join(this.config.dataDir, ADMIN_PASSWORD_FILE);
      writeFileSync(file, `email: ${env.ADMIN_EMAIL}\npassword: ${generated}\n`, { mode: 0o600 });
      // Printed once, on purpose, outside the structured log (which redacts secrets).
      process.stdout.write(
        [
          '',
          '==================================================================',
          '  First start: an admin account was created.',
          `    email:    ${env.ADMIN_EMAIL}`,
          `    password: ${generated}`,
          `  (also saved, readable only by you, in ${file})`,
          '  Change it after signing in: Profile → Change password.',
          '==================================================================',
          '',
        ].join('\n'),
      );
    } else {
      this.logger.info({ email: env.ADMIN_EMAIL }, 'admin account created from ADMIN_EMAIL / ADMIN_PASSWORD');
    }
  }
}
