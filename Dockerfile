# syntax=docker/dockerfile:1
# One image for the api, worker and migrate services (they differ only in their command), and one nginx image that
# serves the built SPA and proxies /api. Build both with `docker compose build`; see docs/operations.md.

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS base
# Keep in step with package.json#packageManager.
ARG PNPM_VERSION=10.34.9
ENV PNPM_HOME=/pnpm \
    PATH=/pnpm:$PATH \
    CI=1 \
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
RUN npm install -g --no-audit --no-fund pnpm@${PNPM_VERSION}
WORKDIR /app

# Downloads every package named in the lockfile. This layer only changes when the lockfile does, and needs no
# package.json files, so adding a workspace package never invalidates it.
FROM base AS fetch
COPY pnpm-lock.yaml pnpm-workspace.yaml .npmrc ./
RUN pnpm fetch

FROM fetch AS build
COPY . .
RUN pnpm install --offline --frozen-lockfile
RUN pnpm build
# Every build output, at its workspace path, so the runtime stage needs no list of packages.
RUN mkdir /out && for dir in apps/*/dist libs/*/dist migrations/dist; do \
      if [ -d "$dir" ]; then mkdir -p "/out/$dir" && cp -a "$dir/." "/out/$dir/"; fi; \
    done

# Production dependencies of the API and the workspace libraries it uses, nothing else.
FROM fetch AS prod-deps
COPY . .
RUN pnpm install --offline --frozen-lockfile --prod --filter "@modelyard/api..."

# ---- nginx: the SPA and the /api reverse proxy -------------------------------------------------------------------
FROM nginx:1.27-alpine AS web
COPY nginx/nginx.conf /etc/nginx/nginx.conf
COPY nginx/security-headers.conf /etc/nginx/snippets/security-headers.conf
COPY --from=build /app/apps/web/dist /usr/share/nginx/html
HEALTHCHECK --interval=30s --timeout=3s CMD wget -q -O /dev/null http://127.0.0.1/healthz || exit 1

# ---- api / worker / migrate (the default target) -----------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080 \
    DATA_DIR=/data
WORKDIR /app
# pnpm's node_modules are symlinks into node_modules/.pnpm: copy the tree as is, then the build output on top
# (apps/web/dist included, so the API can serve the SPA itself when run without nginx). The code stays owned by
# root: the app, running as "node", can write only to /data.
COPY --from=prod-deps /app /app
COPY --from=build /out/ /app/
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 8080
CMD ["node", "--max-old-space-size=384", "apps/api/dist/main.js"]
