import { Injectable } from '@nestjs/common';
import { CacheRepository } from '../../common/redis/cache.repository';
import { AppConfig } from '../../config/app-config';
import { tooManyAttempts } from './auth.errors';

const accountKey = (email: string) => `throttle:login:account:${email.toLowerCase()}`;
const ipKey = (ip: string) => `throttle:login:ip:${ip}`;
const registerKey = (ip: string) => `throttle:register:ip:${ip}`;

/**
 * Failed-login counters in Redis (shared by every API instance). Per account with a low ceiling, per IP with a
 * much higher one, so one person's typos behind an office NAT lock out only their own account.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly cache: CacheRepository,
    private readonly config: AppConfig,
  ) {}

  async assertLoginAllowed(email: string, ip: string): Promise<void> {
    const env = this.config.env;
    const [account, address] = await Promise.all([this.cache.peek(accountKey(email)), this.cache.peek(ipKey(ip))]);
    if (account.count >= env.LOGIN_MAX_FAILURES_PER_ACCOUNT) {
      throw tooManyAttempts(account.resetInMs, 'Too many failed sign-in attempts for this account; try again later');
    }
    if (address.count >= env.LOGIN_MAX_FAILURES_PER_IP) {
      throw tooManyAttempts(address.resetInMs, 'Too many failed sign-in attempts from this address; try again later');
    }
  }

  async recordFailure(email: string, ip: string): Promise<void> {
    const window = this.config.env.LOGIN_FAILURE_WINDOW_SECONDS;
    await Promise.all([this.cache.increment(accountKey(email), window), this.cache.increment(ipKey(ip), window)]);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.cache.delete(accountKey(email));
  }

  async assertRegisterAllowed(ip: string): Promise<void> {
    const env = this.config.env;
    const attempt = await this.cache.increment(registerKey(ip), env.REGISTER_WINDOW_SECONDS);
    if (attempt.count > env.REGISTER_MAX_PER_IP) {
      throw tooManyAttempts(attempt.resetInMs, 'Too many registrations from this address; try again later');
    }
  }
}
