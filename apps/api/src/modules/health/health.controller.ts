import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { HealthResponse } from '@modelyard/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../../common/auth/auth.decorators';
import { CommonErrorCode } from '../../common/errors/common.errors';
import { HealthService } from './health.service';
import { ApiObjectResponse } from '../../common/openapi/plain-responses';

/** The unhealthy answer: the contract's fields, inside the standard error envelope every non-2xx carries. */
export function unhealthyBody(result: HealthResponse, requestId: string) {
  const down = [result.db === 'down' && 'PostgreSQL', result.redis === 'down' && 'Redis'].filter(Boolean);
  return {
    statusCode: 503,
    code: CommonErrorCode.ServiceUnavailable,
    message: `${down.join(' and ')} ${down.length > 1 ? 'are' : 'is'} not answering`,
    requestId,
    ...result,
  };
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when PostgreSQL and Redis both answer, 503 naming the one that does not. */
  @Public()
  @Get()
  @ApiObjectResponse('PostgreSQL and Redis both answer', {
    status: { type: 'string', enum: ['ok'] },
    db: { type: 'string', enum: ['up'] },
    redis: { type: 'string', enum: ['up'] },
  })
  async check(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const result = await this.health.check();
    void reply.status(result.status === 'ok' ? 200 : 503).header('Cache-Control', 'no-store');
    return result.status === 'ok' ? result : unhealthyBody(result, String(request.id));
  }
}
