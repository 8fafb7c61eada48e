import { BadRequestException, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { AppException } from './app-exception';
import { toErrorEnvelope } from './error-envelope';

describe('toErrorEnvelope', () => {
  it('keeps the code, status, details and headers of an AppException', () => {
    const error = new AppException(429, 'TOO_MANY_ATTEMPTS', 'slow down', [{ retryAfterSeconds: 7 }], {
      'Retry-After': '7',
    });
    const mapped = toErrorEnvelope(error, 'req-1');
    expect(mapped.body).toEqual({
      statusCode: 429,
      code: 'TOO_MANY_ATTEMPTS',
      message: 'slow down',
      details: [{ retryAfterSeconds: 7 }],
      requestId: 'req-1',
    });
    expect(mapped.headers).toEqual({ 'Retry-After': '7' });
    expect(mapped.unexpected).toBe(false);
  });

  it('turns the router miss into ROUTE_NOT_FOUND without echoing the path', () => {
    const mapped = toErrorEnvelope(new NotFoundException('Cannot GET /api/secret-thing'), 'r');
    expect(mapped.body.code).toBe('ROUTE_NOT_FOUND');
    expect(mapped.body.message).not.toContain('secret-thing');
  });

  it('maps a JSON parse failure to MALFORMED_BODY', () => {
    const mapped = toErrorEnvelope(
      new BadRequestException("Body is not valid JSON but content-type is set to 'application/json'"),
      'r',
    );
    expect(mapped.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_BODY' });
  });

  it('calls a body that is not UTF-8 malformed (Fastify reports it as a length mismatch)', () => {
    const mapped = toErrorEnvelope(new BadRequestException('Request body size did not match Content-Length'), 'r');
    expect(mapped.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_BODY' });
    expect(mapped.body.message).toContain('UTF-8');
  });

  it('says which multipart limit a form broke', () => {
    const twoFiles = toErrorEnvelope(
      Object.assign(new Error('reach files limit'), { code: 'FST_FILES_LIMIT', statusCode: 413 }),
      'r',
    );
    expect(twoFiles.body).toMatchObject({
      statusCode: 400,
      code: 'VALIDATION_FAILED',
      message: 'Send one file per request',
    });
  });

  it('answers a unique-index race with the conflict its module reports, never a 500', () => {
    const race = Object.assign(new Error('duplicate key value violates unique constraint'), {
      code: '23505',
      constraint: 'prompts_owner_name_key',
    });
    const mapped = toErrorEnvelope(race, 'r');
    expect(mapped.body).toMatchObject({ statusCode: 409, code: 'PROMPT_NAME_TAKEN', details: [{ path: 'name' }] });
    expect(mapped.unexpected).toBe(false);
    const other = toErrorEnvelope(Object.assign(new Error('dup'), { code: '23505', constraint: 'x_key' }), 'r');
    expect(other.body).toMatchObject({ statusCode: 409, code: 'CONFLICT' });
  });

  it('answers a value PostgreSQL cannot take (out of range, wrong type) with 400, and still logs it', () => {
    const mapped = toErrorEnvelope(
      Object.assign(new Error('value "99999999999" is out of range'), { code: '22003' }),
      'r',
    );
    expect(mapped.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
    expect(mapped.unexpected).toBe(true);
  });

  it('answers a cut-off or boundary-less multipart body with 400 MALFORMED_BODY', () => {
    for (const message of [
      'Multipart: Boundary not found',
      'Unexpected end of multipart data',
      'Part terminated early due to unexpected end of multipart data',
    ]) {
      expect(toErrorEnvelope(new Error(message), 'r').body).toMatchObject({ statusCode: 400, code: 'MALFORMED_BODY' });
    }
    expect(toErrorEnvelope(new Error('something else broke'), 'r').body.statusCode).toBe(500);
  });

  it('maps Fastify client errors by their code', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), {
      statusCode: 413,
      code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    });
    expect(toErrorEnvelope(tooLarge, 'r').body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE' });
  });

  it('hides everything about an unknown error behind a 500 INTERNAL_ERROR', () => {
    const mapped = toErrorEnvelope(new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2'), 'r');
    expect(mapped.body).toEqual({
      statusCode: 500,
      code: 'INTERNAL_ERROR',
      message: 'Internal server error',
      requestId: 'r',
    });
    expect(mapped.unexpected).toBe(true);
  });
});
