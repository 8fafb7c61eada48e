// CommonJS entry to the throwaway PostgreSQL/Redis, for TypeScript tests in CommonJS packages (apps/api compiles
// with "module": "Node16", which forbids a static import of an .mjs file from a CommonJS module).
'use strict';

/** @type {import('./test-services.cjs').startThrowawayPostgres} */
exports.startThrowawayPostgres = async (options) => (await import('./postgres.mjs')).startThrowawayPostgres(options);

/** @type {import('./test-services.cjs').startThrowawayRedis} */
exports.startThrowawayRedis = async (options) => (await import('./redis.mjs')).startThrowawayRedis(options);

/** @type {import('./test-services.cjs').startTestServices} */
exports.startTestServices = async (options = {}) => {
  const [postgres, redis] = await Promise.all([
    exports.startThrowawayPostgres(options),
    exports.startThrowawayRedis(options),
  ]);
  return {
    databaseUrl: postgres.url,
    redisUrl: redis.url,
    postgres,
    redis,
    async stop() {
      await Promise.allSettled([redis.stop(), postgres.stop()]);
    },
  };
};
