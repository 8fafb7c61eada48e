import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { AuthUser } from '../../common/auth/auth.decorators';
import { AppConfig } from '../../config/app-config';
import { UserAuthStateCache } from '../users/user-auth-state.cache';

export interface AccessTokenPayload {
  sub: string;
  /** the user's token version when the token was issued */
  tv: number;
  /** the session it belongs to (its refresh-token family); tokens issued before sessions were named have none */
  sid?: string;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly authState: UserAuthStateCache,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A ready KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a public key on
      // every request, which cost ~10x in throughput on authenticated routes.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /** Checked on every request, so a disabled user or a changed role counts from the very next request. */
  async validate(payload: AccessTokenPayload): Promise<AuthUser | false> {
    if (typeof payload?.sub !== 'string' || typeof payload.tv !== 'number') return false;
    const state = await this.authState.get(payload.sub);
    if (!state || !state.isActive) return false;
    const sessionId = typeof payload.sid === 'string' ? payload.sid : undefined;
    // A password change ends every session's tokens but those of the session that changed it.
    const kept =
      sessionId !== undefined &&
      sessionId === state.keptSessionId &&
      state.keptSessionVersion != null &&
      payload.tv >= state.keptSessionVersion;
    if (state.tokenVersion !== payload.tv && !kept) return false;
    // A session that logged out (or was revoked) ends with it, not when its last access token expires.
    if (sessionId !== undefined && state.endedSessionIds?.includes(sessionId)) return false;
    return { id: payload.sub, role: state.role, sessionId };
  }
}
