import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when PostgreSQL and Redis both answer, 503 naming the one that does not. */
  @Public()
  @Get()
  async check(@Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.health.check();
    void reply.status(result.status === 'ok' ? 200 : 503).header('Cache-Control', 'no-store');
    return result;
  }
}
