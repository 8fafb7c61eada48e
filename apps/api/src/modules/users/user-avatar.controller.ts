import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { UsersService } from './users.service';
import { idParam } from '../../common/http/id-param';
import { ApiFileResponse } from '../../common/openapi/plain-responses';

@ApiTags('users')
@Controller('users')
export class UserAvatarController {
  constructor(private readonly users: UsersService) {}

  /** Public so <img> tags can load it; the URL carries a content hash, so it can be cached for long. */
  @Public()
  @Get(':id/avatar')
  @ApiFileResponse('The avatar, a square WebP', 'image/webp')
  async avatar(@Param('id', idParam) id: string, @Res() reply: FastifyReply): Promise<void> {
    const bytes = await this.users.readAvatar(id);
    await reply
      .header('Content-Type', 'image/webp')
      .header('Cache-Control', 'public, max-age=86400')
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "default-src 'none'")
      .send(bytes);
  }
}
