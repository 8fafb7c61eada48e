import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type {
  ChangePasswordInput,
  LoginInput,
  LoginResponse,
  RefreshResponse,
  RegisterInput,
  User,
} from '@modelyard/contracts';
import { PinoLogger } from 'nestjs-pino';
import type { RequestMeta } from '../../common/auth/auth.decorators';
import { AppConfig } from '../../config/app-config';
import { SettingsService } from '../settings/settings.service';
import { UserAuthStateCache } from '../users/user-auth-state.cache';
import type { UserEntity } from '../users/user.entity';
import { toUser } from '../users/user.mapper';
import { UsersRepository } from '../users/users.repository';
import { UsersService } from '../users/users.service';
import { authError, AuthErrorCode } from './auth.errors';
import type { AccessTokenPayload } from './jwt.strategy';
import { LoginThrottleService } from './login-throttle.service';
import { PasswordHasher } from './password-hasher';
import type { RefreshTokenEntity } from './refresh-token.entity';
import { RefreshTokensRepository } from './refresh-tokens.repository';

export interface IssuedSession {
  body: LoginResponse;
  refreshToken: string;
  refreshMaxAgeSeconds: number;
}

export interface RotatedSession {
  body: RefreshResponse;
  refreshToken: string;
  refreshMaxAgeSeconds: number;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Refusals of a concurrent refresh: the browser already holds the successor cookie, which must not be cleared. */
const concurrentRefreshes = new WeakSet<Error>();

export function isConcurrentRefresh(error: unknown): boolean {
  return error instanceof Error && concurrentRefreshes.has(error);
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly usersService: UsersService,
    private readonly authState: UserAuthStateCache,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottleService,
    private readonly settings: SettingsService,
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(AuthService.name);
  }

  async register(input: RegisterInput, meta: RequestMeta): Promise<User> {
    const { registrationOpen } = await this.settings.get();
    if (!registrationOpen) throw authError(AuthErrorCode.RegistrationClosed, 'Registration is closed');
    await this.throttle.assertRegisterAllowed(meta.ip);
    await this.usersService.assertAvailable(input.email, input.nickname);
    const passwordHash = await this.hasher.hash(input.password);
    try {
      const user = await this.users.create({
        email: input.email,
        nickname: input.nickname,
        passwordHash,
        role: 'user',
      });
      this.logger.info({ userId: user.id, ip: meta.ip, requestId: meta.requestId }, 'user registered');
      return toUser(user);
    } catch (error) {
      // Two registrations racing for the same email: the unique index decides, the loser gets the same 409.
      if ((error as { code?: string }).code === '23505')
        await this.usersService.assertAvailable(input.email, input.nickname);
      throw error;
    }
  }

  async login(input: LoginInput, meta: RequestMeta): Promise<IssuedSession> {
    try {
      await this.throttle.beginAttempt(input.email, meta.ip);
    } catch (error) {
      this.logger.warn(
        { email: input.email, ip: meta.ip, requestId: meta.requestId, reason: 'throttled' },
        'login failed',
      );
      throw error;
    }
    const user = await this.users.findByEmail(input.email);
    const valid = user
      ? await this.hasher.verify(input.password, user.passwordHash)
      : await this.hasher.verifyDecoy(input.password);
    if (!user || !valid) {
      this.logger.warn(
        {
          email: input.email,
          ip: meta.ip,
          requestId: meta.requestId,
          reason: user ? 'wrong-password' : 'unknown-email',
        },
        'login failed',
      );
      throw authError(AuthErrorCode.InvalidCredentials, 'Email or password is incorrect');
    }
    await this.throttle.attemptSucceeded(input.email, meta.ip);
    if (!user.isActive) {
      this.logger.warn(
        { userId: user.id, ip: meta.ip, requestId: meta.requestId, reason: 'disabled' },
        'login refused',
      );
      throw authError(AuthErrorCode.AccountDisabled, 'This account has been disabled');
    }
    const updated = await this.users.update(user.id, { lastLoginAt: new Date() });
    const familyId = randomUUID();
    const { token, maxAge } = await this.issueRefreshToken(user.id, familyId, meta);
    return {
      body: { ...(await this.issueAccessToken(updated, familyId)), user: toUser(updated) },
      refreshToken: token,
      refreshMaxAgeSeconds: maxAge,
    };
  }

  /**
   * Rotation: every refresh spends its token and hands out the next one of the same family. A spent token is
   * refused. Presented again moments after its rotation (`REFRESH_REUSE_GRACE_SECONDS`) it is two tabs that
   * refreshed at once with the one cookie they share: refused, but the session lives on (the browser holds its
   * successor, and the SPA refreshes again with it). Later, it is a stolen copy: the whole family is revoked.
   */
  async refresh(presented: string | undefined, meta: RequestMeta): Promise<RotatedSession> {
    const invalid = () => authError(AuthErrorCode.InvalidRefreshToken, 'Your session has ended; sign in again');
    if (!presented) throw invalid();
    const row = await this.refreshTokens.findByHash(hashToken(presented));
    if (!row) throw invalid();
    if (row.usedAt || row.revokedAt) throw await this.spent(row, meta, invalid());
    if (row.expiresAt.getTime() <= Date.now()) throw invalid();
    const user = await this.users.findById(row.userId);
    if (!user || !user.isActive) {
      await this.refreshTokens.revokeFamily(row.familyId);
      throw invalid();
    }
    if (!(await this.refreshTokens.claim(row.id))) {
      // Another request rotated it in between: the same race, unless the family was revoked meanwhile (logout).
      const now = await this.refreshTokens.findByHash(hashToken(presented));
      throw await this.spent(now ?? row, meta, invalid());
    }
    const next = await this.issueRefreshToken(user.id, row.familyId, meta);
    await this.refreshTokens.setReplacement(row.id, next.id);
    return {
      body: await this.issueAccessToken(user, row.familyId),
      refreshToken: next.token,
      refreshMaxAgeSeconds: next.maxAge,
    };
  }

  /** A spent or revoked refresh token was presented: the session ends, unless it is a concurrent refresh. */
  private async spent(
    row: Pick<RefreshTokenEntity, 'userId' | 'familyId' | 'usedAt' | 'revokedAt'>,
    meta: RequestMeta,
    error: Error,
  ): Promise<Error> {
    const context = { userId: row.userId, familyId: row.familyId, ip: meta.ip, requestId: meta.requestId };
    if (row.usedAt && !row.revokedAt && this.withinReuseGrace(row.usedAt)) {
      this.logger.info(context, 'refresh token presented again within the reuse grace: concurrent refresh');
      concurrentRefreshes.add(error);
      return error;
    }
    if (row.usedAt) this.logger.warn(context, 'refresh token reuse: family revoked');
    await this.endSession(row);
    return error;
  }

  private withinReuseGrace(usedAt: Date): boolean {
    return Date.now() - usedAt.getTime() < this.config.env.REFRESH_REUSE_GRACE_SECONDS * 1000;
  }

  /**
   * Ends the session of the refresh cookie, and the one the access token names (a client holding only its bearer
   * token signs out too). Neither is required: signing out twice is no error.
   */
  async logout(presented: string | undefined, accessToken?: string): Promise<void> {
    const row = presented ? await this.refreshTokens.findByHash(hashToken(presented)) : null;
    if (row) await this.endSession(row);
    const named = accessToken ? await this.sessionNamedBy(accessToken) : undefined;
    if (named && named.familyId !== row?.familyId) await this.endSession(named);
  }

  /** The session a valid access token names (its refresh family), if any. */
  private async sessionNamedBy(accessToken: string): Promise<{ userId: string; familyId: string } | undefined> {
    try {
      const payload = await this.jwt.verifyAsync<AccessTokenPayload>(accessToken, { algorithms: ['HS256'] });
      if (typeof payload.sub !== 'string' || typeof payload.sid !== 'string') return undefined;
      return { userId: payload.sub, familyId: payload.sid };
    } catch {
      return undefined;
    }
  }

  /** Revokes a session's refresh tokens; its access tokens stop working at the next request too. */
  private async endSession(row: Pick<RefreshTokenEntity, 'userId' | 'familyId'>): Promise<void> {
    await this.refreshTokens.revokeFamily(row.familyId);
    await this.authState.invalidate(row.userId);
  }

  /**
   * Ends every other session: their refresh tokens are revoked and their access tokens stop working. The caller's
   * session goes on, access token included: the one its access token names, else its refresh cookie's.
   */
  async changePassword(
    userId: string,
    input: ChangePasswordInput,
    presentedRefresh: string | undefined,
    currentSessionId?: string,
    ip = 'unknown',
  ): Promise<void> {
    const user = await this.usersService.getEntity(userId);
    // Guesses here count against the same budget as sign-in: a stolen access token must not try passwords freely.
    await this.throttle.beginAttempt(user.email, ip);
    if (!(await this.hasher.verify(input.currentPassword, user.passwordHash))) {
      throw authError(AuthErrorCode.WrongCurrentPassword, 'The current password is incorrect', [
        { path: 'currentPassword', message: 'incorrect' },
      ]);
    }
    await this.throttle.attemptSucceeded(user.email, ip);
    let keepFamily = currentSessionId;
    if (!keepFamily && presentedRefresh) {
      const current = await this.refreshTokens.findByHash(hashToken(presentedRefresh));
      if (current && current.userId === userId) keepFamily = current.familyId;
    }
    await this.users.endSessions(userId, {
      keep: keepFamily ?? null,
      passwordHash: await this.hasher.hash(input.newPassword),
    });
    await this.authState.invalidate(userId);
    this.logger.info({ userId }, 'password changed; other sessions revoked');
  }

  private async issueAccessToken(user: UserEntity, sessionId: string): Promise<RefreshResponse> {
    // Callers pass an entity they have just read, so its token version is current.
    const payload: AccessTokenPayload = { sub: user.id, tv: user.tokenVersion, sid: sessionId };
    const expiresIn = this.config.env.ACCESS_TOKEN_TTL_SECONDS;
    const accessToken = await this.jwt.signAsync(payload, { expiresIn, algorithm: 'HS256' });
    return { accessToken, expiresIn };
  }

  private async issueRefreshToken(userId: string, familyId: string, meta: RequestMeta) {
    const token = randomBytes(32).toString('base64url');
    const maxAge = this.config.env.REFRESH_TOKEN_TTL_DAYS * 86400;
    const row = await this.refreshTokens.create({
      userId,
      familyId,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + maxAge * 1000),
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    return { id: row.id, token, maxAge };
  }
}
