import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@modelyard/contracts';
import { commonError, CommonErrorCode } from '../errors/common.errors';
import { type AuthUser, REQUIRED_ROLE } from './auth.decorators';

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (!user) throw commonError(CommonErrorCode.Unauthorized, 'Sign in to continue');
    if (required === 'admin' && user.role !== 'admin') {
      throw commonError(CommonErrorCode.Forbidden, 'This action needs the admin role');
    }
    return true;
  }
}
