# syntax=docker/dockerfile:1
# One image, three roles, chosen by the command (see docker-compose.yml):
#   API (default)  node --import tsx server/main.ts       listens on API_PORT, GET /health
#   worker         node --import tsx worker/main.ts
#   migrations     node --import tsx scripts/migrate.ts   (one-shot)
# TypeScript runs through tsx at run time, so tsx is a production dependency
# and `npm ci --omit=dev` is enough.
#
# The processes are node itself with tsx as its loader, not `npx tsx`: npx runs
# the command through `sh -c`, and a SIGTERM from `docker stop` then never
# reaches the app, so close-with-grace and worker.shutdown() would not run.
#
# For reproducible production builds pin the base by digest, e.g.
#   docker build --build-arg NODE_IMAGE=node:24-bookworm-slim@sha256:<digest> .
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Installs exactly the lockfile. @temporalio/core-bridge ships prebuilt glibc
# binaries (bookworm is glibc), so no compiler is needed.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
# CA roots for TLS to a managed Postgres or Temporal Cloud.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*

ENV NODE_ENV=production \
    PATH=/app/node_modules/.bin:$PATH \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    API_HOST=0.0.0.0 \
    API_PORT=3000

WORKDIR /app
# Code and dependencies stay owned by root, so the app cannot modify itself.
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# The worker runs the workflow bundle built here (WORKFLOW_BUNDLE_PATH) instead
# of bundling workflows/ when it starts, which would leave it about 130 MiB
# larger for its whole life. The other roles ignore the variable.
RUN tsx scripts/bundle-workflows.ts /app/dist/workflow-bundle.js
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
# data/ is the only writable place the app uses (DATA_DIR, the embedded PGlite
# store when DATABASE_URL is unset); the compose file always sets DATABASE_URL.
RUN mkdir -p /app/data && chown node:node /app/data

# The unprivileged user that the official Node image provides (uid 1000).
USER node
EXPOSE 3000
# No HEALTHCHECK here: the same image runs the worker, which has no HTTP port.
# docker-compose.yml defines one check per role.
CMD ["node", "--import", "tsx", "server/main.ts"]
