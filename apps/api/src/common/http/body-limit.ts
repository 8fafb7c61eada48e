import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/** Most bodies are small: a larger one is refused (413) before it is buffered. */
export const JSON_BODY_LIMIT = 1024 * 1024;
/** Imports of earlier exports (a long chat, a prompt library): as much as the bundled nginx lets through. */
export const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;

/** A route's own body limit in bytes, in place of `JSON_BODY_LIMIT` (applied by `applyRouteBodyLimits`). */
export const BodyLimit = (bytes: number) => RouteConfig({ bodyLimit: bytes });

/** Gives routes marked with `BodyLimit` their limit; call before the routes are registered (before `init`). */
export function applyRouteBodyLimits(fastify: FastifyInstance): void {
  fastify.addHook('onRoute', (route) => {
    const limit = (route.config as { bodyLimit?: unknown } | undefined)?.bodyLimit;
    if (typeof limit === 'number') route.bodyLimit = limit;
  });
}
