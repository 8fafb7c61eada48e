import { Body, Controller, Get, HttpCode, Patch, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  ChangePasswordSchema,
  LoginResponseSchema,
  LoginSchema,
  RefreshResponseSchema,
  RegisterSchema,
  UpdateMeSchema,
  UserEnvelopeSchema,
} from '@modelyard/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type AuthUser, CurrentUser, Public, ReqMeta, type RequestMeta } from '../../common/auth/auth.decorators';
import { ApiRateLimited } from '../../common/openapi/error-responses';
import { createZodDto } from '../../common/openapi/zod-dto';
import { AppConfig } from '../../config/app-config';
import { usersError, UsersErrorCode } from '../users/users.errors';
import { UsersService } from '../users/users.service';
import { AuthService, isConcurrentRefresh } from './auth.service';
import { RegistrationOpenGuard } from './registration-open.guard';

class RegisterDto extends createZodDto(RegisterSchema) {}
class LoginDto extends createZodDto(LoginSchema) {}
class UpdateMeDto extends createZodDto(UpdateMeSchema) {}
class ChangePasswordDto extends createZodDto(ChangePasswordSchema) {}
class LoginResponseDto extends createZodDto(LoginResponseSchema) {}
class RefreshResponseDto extends createZodDto(RefreshResponseSchema) {}
class UserEnvelopeDto extends createZodDto(UserEnvelopeSchema) {}

export const REFRESH_COOKIE = 'refresh_token';
const COOKIE_PATH = '/api/auth';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @UseGuards(RegistrationOpenGuard)
  @Post('register')
  @ApiCreatedResponse({ type: UserEnvelopeDto })
  async register(@Body() body: RegisterDto, @ReqMeta() meta: RequestMeta) {
    return { user: await this.auth.register(body, meta) };
  }

  @Public()
  @Post('login')
  @ApiRateLimited('TOO_MANY_ATTEMPTS: too many failed sign-ins for this account or from this address')
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  async login(
    @Body() body: LoginDto,
    @ReqMeta() meta: RequestMeta,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const session = await this.auth.login(body, meta);
    this.setRefreshCookie(request, reply, session.refreshToken, session.refreshMaxAgeSeconds);
    return session.body;
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: RefreshResponseDto })
  async refresh(
    @ReqMeta() meta: RequestMeta,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    try {
      const session = await this.auth.refresh(request.cookies[REFRESH_COOKIE], meta);
      this.setRefreshCookie(request, reply, session.refreshToken, session.refreshMaxAgeSeconds);
      return session.body;
    } catch (error) {
      if (!isConcurrentRefresh(error)) this.clearRefreshCookie(reply);
      throw error;
    }
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiNoContentResponse()
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    await this.auth.logout(request.cookies[REFRESH_COOKIE], bearer);
    this.clearRefreshCookie(reply);
  }

  @ApiBearerAuth()
  @Get('me')
  @ApiOkResponse({ type: UserEnvelopeDto })
  async me(@CurrentUser() user: AuthUser) {
    return { user: await this.users.get(user.id) };
  }

  @ApiBearerAuth()
  @Patch('me')
  @ApiOkResponse({ type: UserEnvelopeDto })
  async updateMe(@CurrentUser() user: AuthUser, @Body() body: UpdateMeDto) {
    return { user: await this.users.updateProfile(user.id, body) };
  }

  @ApiBearerAuth()
  @Post('me/password')
  @HttpCode(204)
  @ApiNoContentResponse()
  async changePassword(
    @CurrentUser() user: AuthUser,
    @Body() body: ChangePasswordDto,
    @Req() request: FastifyRequest,
    @ReqMeta() meta: RequestMeta,
  ) {
    await this.auth.changePassword(user.id, body, request.cookies[REFRESH_COOKIE], user.sessionId, meta.ip);
  }

  @ApiBearerAuth()
  @Post('me/avatar')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: 'an image (decoded and stored as a square WebP)' },
      },
    },
  })
  @ApiOkResponse({ type: UserEnvelopeDto })
  async uploadAvatar(@CurrentUser() user: AuthUser, @Req() request: FastifyRequest) {
    const file = await request.file({ limits: { fileSize: this.config.env.AVATAR_MAX_BYTES, files: 1 } });
    if (!file || file.fieldname !== 'file') {
      throw usersError(UsersErrorCode.AvatarMissing, 'Send the image as a multipart field named "file"');
    }
    const bytes = await file.toBuffer();
    if (file.file.truncated) {
      throw usersError(
        UsersErrorCode.AvatarTooLarge,
        `The avatar must be at most ${this.config.env.AVATAR_MAX_BYTES} bytes`,
      );
    }
    return { user: await this.users.setAvatar(user.id, bytes) };
  }

  private setRefreshCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAge: number): void {
    const mode = this.config.env.COOKIE_SECURE;
    const secure = mode === 'always' || (mode === 'auto' && request.protocol === 'https');
    void reply.setCookie(REFRESH_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      path: COOKIE_PATH,
      secure,
      maxAge,
    });
  }

  private clearRefreshCookie(reply: FastifyReply): void {
    void reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH, httpOnly: true, sameSite: 'strict' });
  }
}
