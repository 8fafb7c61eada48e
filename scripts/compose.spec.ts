import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = join(__dirname, '..');
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
const envExample = readFileSync(join(root, '.env.example'), 'utf8');
const nginxConf = readFileSync(join(root, 'nginx', 'nginx.conf'), 'utf8');
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

interface Service {
  image?: string;
  build?: string | { target?: string };
  command?: string | string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string | string[] };
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(composeText) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const services = compose.services;
const words = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(' ') : (value ?? ''));

/** Variables documented in .env.example (set or commented out), each with the comment line directly above it. */
function documentedVariables(text: string): Map<string, string> {
  const lines = text.split('\n');
  const documented = new Map<string, string>();
  lines.forEach((line, index) => {
    const match = /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (!match) return;
    const above = lines[index - 1] ?? '';
    const isComment =
      above.startsWith('#') && !/^#\s*[A-Z][A-Z0-9_]*=/.test(above) && above.replace(/[#\s-]/g, '') !== '';
    if (isComment) documented.set(match[1], above);
  });
  return documented;
}

describe('docker-compose.yml', () => {
  it('defines the whole stack', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgres', 'redis', 'migrate', 'api', 'worker', 'nginx']),
    );
  });

  it('gives every service an image or a build', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.image ?? service.build, `${name} has neither image nor build`).toBeTruthy();
    }
  });

  it('documents every variable it references in .env.example, with a comment', () => {
    const referenced = [...composeText.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1]);
    expect(referenced.length).toBeGreaterThan(0);
    const documented = documentedVariables(envExample);
    const missing = [...new Set(referenced)].filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });

  it('refuses to start without the secrets instead of running with empty ones', () => {
    for (const name of ['POSTGRES_PASSWORD', 'REDIS_PASSWORD', 'JWT_SECRET', 'ENCRYPTION_KEY']) {
      expect(composeText).toContain(`\${${name}:?`);
    }
  });

  it('health-checks PostgreSQL with pg_isready and keeps its data in a volume', () => {
    expect(words(services.postgres.healthcheck?.test)).toContain('pg_isready');
    expect(services.postgres.volumes?.some((volume) => volume.endsWith(':/var/lib/postgresql/data'))).toBe(true);
  });

  it('runs Redis with AOF persistence, noeviction and a healthcheck', () => {
    const command = words(services.redis.command);
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
    expect(services.redis.healthcheck).toBeDefined();
  });

  it('migrates once, after PostgreSQL is healthy, before the API and worker start', () => {
    expect(words(services.migrate.command)).toContain('apps/api/dist/cli/migrate.js');
    expect(services.migrate.restart).toBe('no');
    expect(services.migrate.depends_on?.postgres.condition).toBe('service_healthy');
    for (const name of ['api', 'worker']) {
      expect(services[name].depends_on?.migrate.condition).toBe('service_completed_successfully');
      expect(services[name].depends_on?.redis.condition).toBe('service_healthy');
    }
  });

  it('runs the API, the worker and nginx with the right commands', () => {
    expect(words(services.api.command)).toContain('apps/api/dist/main.js');
    expect(words(services.api.command)).toContain('--max-old-space-size=384');
    expect(words(services.worker.command)).toContain('apps/api/dist/worker.js');
    expect(services.nginx.depends_on).toHaveProperty('api');
    expect(services.nginx.build).toMatchObject({ target: 'web' });
  });

  it('shares one DATA_DIR volume between the API and the worker', () => {
    const dataDir = services.api.environment?.DATA_DIR;
    expect(dataDir).toBe('/data');
    const mount = (service: Service) => service.volumes?.find((volume) => volume.endsWith(`:${dataDir}`));
    expect(mount(services.api)).toBeDefined();
    expect(mount(services.worker)).toBe(mount(services.api));
    expect(Object.keys(compose.volumes)).toContain(mount(services.api)!.split(':')[0]);
  });

  it('trusts the proxy headers nginx sets', () => {
    expect(services.api.environment?.TRUST_PROXY).toMatch(/true/);
  });

  it('builds targets that exist in the Dockerfile', () => {
    const targets = Object.values(services)
      .map((service) => (typeof service.build === 'object' ? service.build.target : undefined))
      .filter(Boolean);
    for (const target of new Set(targets)) expect(dockerfile).toMatch(new RegExp(`^FROM \\S+ AS ${target}$`, 'm'));
  });
});

describe('nginx/nginx.conf', () => {
  const apiLocation = /location \/api\/ \{([\s\S]*?)\n {4}\}/.exec(nginxConf)?.[1] ?? '';

  it('streams /api responses (SSE) without buffering or caching', () => {
    expect(apiLocation).toContain('proxy_pass http://api');
    expect(apiLocation).toMatch(/proxy_buffering off;/);
    expect(apiLocation).toMatch(/proxy_cache off;/);
    expect(apiLocation).toMatch(/proxy_read_timeout 1h;/);
    expect(apiLocation).toMatch(/proxy_http_version 1\.1;/);
  });

  it('forwards the client address and scheme to the API', () => {
    for (const header of ['X-Forwarded-For', 'X-Forwarded-Proto', 'X-Forwarded-Host']) {
      expect(apiLocation).toContain(`proxy_set_header ${header}`);
    }
  });

  it('replaces a client-sent X-Forwarded-For instead of appending to it (the API trusts the proxy)', () => {
    expect(apiLocation).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    expect(apiLocation).not.toContain('$proxy_add_x_forwarded_for');
  });

  it('falls back to index.html for client-side routes', () => {
    expect(nginxConf).toMatch(/try_files \$uri \/index\.html;/);
  });

  it('caches hashed assets for a long time and accepts 20 MB uploads', () => {
    expect(nginxConf).toMatch(/location \/assets\/[\s\S]*?immutable/);
    expect(nginxConf).toMatch(/client_max_body_size 20m;/);
  });

  it('sends the security headers with every SPA response', () => {
    const headers = readFileSync(join(root, 'nginx', 'security-headers.conf'), 'utf8');
    expect(headers).toContain('X-Content-Type-Options "nosniff"');
    expect(headers).toMatch(/frame-ancestors 'none'/);
    expect(headers).toMatch(/img-src 'self' data: blob:/);
    const spaLocations = nginxConf.match(/location (\/|\/assets\/) \{[\s\S]*?\n {4}\}/g) ?? [];
    expect(spaLocations).toHaveLength(2);
    for (const location of spaLocations)
      expect(location).toContain('include /etc/nginx/snippets/security-headers.conf;');
    expect(dockerfile).toContain('COPY nginx/security-headers.conf /etc/nginx/snippets/security-headers.conf');
  });
});
