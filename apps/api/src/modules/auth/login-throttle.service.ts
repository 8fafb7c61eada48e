import { Injectable } from '@nestjs/common';
import { CacheRepository } from '../../common/redis/cache.repository';
import { AppConfig } from '../../config/app-config';
import { tooManyAttempts } from './auth.errors';

const accountKey = (email: string) => `throttle:login:account:${email.toLowerCase()}`;
const ipKey = (ip: string) => `throttle:login:ip:${ip}`;
const registerKey = (ip: string) => `throttle:register:ip:${ip}`;

/**
 * Password-check counters in Redis (shared by every API instance). Per account with a low ceiling, per IP with a
 * much higher one, so one person's typos behind an office NAT lock out only their own account. An attempt is
 * counted before its password is checked and given back if it succeeds: guesses sent all at once cannot all pass
 * a check that only counted the failures already finished (bcrypt takes a quarter of a second each).
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly cache: CacheRepository,
    private readonly config: AppConfig,
  ) {}

  /** Counts one password check for the account and the address; 429 (counting nothing) when either is spent. */
  async beginAttempt(email: string, ip: string): Promise<void> {
    const env = this.config.env;
    const window = env.LOGIN_FAILURE_WINDOW_SECONDS;
    const [account, address] = await Promise.all([
      this.cache.increment(accountKey(email), window),
      this.cache.increment(ipKey(ip), window),
    ]);
    const refused =
      account.count > env.LOGIN_MAX_FAILURES_PER_ACCOUNT
        ? tooManyAttempts(account.resetInMs, 'Too many failed sign-in attempts for this account; try again later')
        : address.count > env.LOGIN_MAX_FAILURES_PER_IP
          ? tooManyAttempts(address.resetInMs, 'Too many failed sign-in attempts from this address; try again later')
          : null;
    if (refused) {
      await Promise.all([this.cache.decrement(accountKey(email)), this.cache.decrement(ipKey(ip))]);
      throw refused;
    }
  }

  /** The right password: the account starts afresh and the address gets its attempt back. A failure stays counted. */
  async attemptSucceeded(email: string, ip: string): Promise<void> {
    await Promise.all([this.cache.delete(accountKey(email)), this.cache.decrement(ipKey(ip))]);
  }

  async assertRegisterAllowed(ip: string): Promise<void> {
    const env = this.config.env;
    const attempt = await this.cache.increment(registerKey(ip), env.REGISTER_WINDOW_SECONDS);
    if (attempt.count > env.REGISTER_MAX_PER_IP) {
      throw tooManyAttempts(attempt.resetInMs, 'Too many registrations from this address; try again later');
    }
  }
}
