import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { toErrorEnvelope } from './error-envelope';

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    this.logger.setContext('ExceptionFilter');
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const mapped = toErrorEnvelope(exception, String(request.id));
    if (mapped.unexpected) {
      this.logger.error({ err: exception, requestId: request.id }, 'unhandled error');
    }
    if (reply.sent) return;
    void reply.status(mapped.body.statusCode).headers(mapped.headers).send(mapped.body);
  }
}
