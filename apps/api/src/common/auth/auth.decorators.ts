import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role } from '@modelyard/contracts';
import type { FastifyRequest } from 'fastify';

export const IS_PUBLIC = 'modelyard:isPublic';
export const REQUIRED_ROLE = 'modelyard:requiredRole';

/** The route needs no signed-in user. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The route needs the given role (admins pass every role check). */
export const RequireRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);

/** Who is asking, as established by the JWT guard from fresh (cached ≤ 30 s, invalidated on change) user state. */
export interface AuthUser {
  id: string;
  role: Role;
  /** The session (refresh-token family) the access token was issued to, when it names one. */
  sessionId?: string;
}

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest & { user?: AuthUser }>();
  if (!request.user) throw new Error('CurrentUser used on a public route');
  return request.user;
});

/** Where a request came from, for audit entries and throttling. */
export interface RequestMeta {
  ip: string;
  requestId: string;
  userAgent: string | null;
}

export const ReqMeta = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestMeta => {
  const request = ctx.switchToHttp().getRequest<FastifyRequest>();
  const ua = request.headers['user-agent'];
  return { ip: request.ip, requestId: String(request.id), userAgent: typeof ua === 'string' ? ua.slice(0, 512) : null };
});
