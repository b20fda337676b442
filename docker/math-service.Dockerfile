# syntax=docker/dockerfile:1
# HighFreqQuant math service: compiled JavaScript (`npm run build:service` bundles math-service/src
# into math-service/dist/), production dependencies only, run as the unprivileged `node` user.
# Build from the repository root: docker build -f docker/math-service.Dockerfile .

ARG NODE_IMAGE=node:22.16.0-bookworm-slim

# 1. Compile: full install (esbuild, TypeScript), then the bundles in math-service/dist/.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY math-service/package.json math-service/package.json
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:service && test -f math-service/dist/main.js

# 2. Production dependencies of the service (native better-sqlite3 compiled here, not at run time).
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY math-service/package.json math-service/package.json
RUN npm ci --workspace math-service --include-workspace-root=false --omit=dev --no-audit --no-fund \
 && mkdir -p math-service/node_modules

# 3. Runtime: no compilers, no sources; node runs the bundle directly.
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    MATH_SERVICE_HOST=0.0.0.0 \
    MATH_SERVICE_PORT=8000 \
    HFQ_DATA_DIR=/data \
    HFQ_MODE=PAPER
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/package.json ./package.json
# packages npm could not hoist (a version the root also uses) stay beside the workspace
COPY --from=deps /app/math-service/node_modules math-service/node_modules
COPY math-service/package.json math-service/package.json
COPY --from=build /src/math-service/dist math-service/dist
RUN mkdir -p /data && chown node:node /data
VOLUME /data
EXPOSE 8000
USER node
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.MATH_SERVICE_PORT||8000)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "math-service/dist/main.js"]
