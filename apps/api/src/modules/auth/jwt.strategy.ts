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
    if (!state || !state.isActive || state.tokenVersion !== payload.tv) return false;
    return { id: payload.sub, role: state.role };
  }
}
