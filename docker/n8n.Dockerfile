# syntax=docker/dockerfile:1
# n8n with the HighFreqQuant community package preinstalled, built FROM the pinned official image.
# The package sits where n8n's "Community nodes → Install" puts one:
#   /home/node/.n8n/nodes/node_modules/n8n-nodes-highfreqquant/   (package.json + dist/)
#   /home/node/.n8n/nodes/package.json                             (lists it)
# so node types are `n8n-nodes-highfreqquant.<node>`, as the workflows name them. The set-up script
# (scripts/n8n/initN8n.mjs) and the shipped workflows go to /opt/highfreqquant for the n8n-init
# service. Build from the repository root: docker build -f docker/n8n.Dockerfile .

ARG N8N_IMAGE=n8nio/n8n:2.41.1
ARG NODE_IMAGE=node:22.16.0-bookworm-slim

# 1. Build and pack the package exactly as it would be published (the "files" of package.json).
FROM ${NODE_IMAGE} AS package
WORKDIR /src
COPY package.json package-lock.json ./
COPY math-service/package.json math-service/package.json
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-nodes.mjs scripts/build-nodes.mjs
COPY scripts/pack scripts/pack
COPY nodes nodes
COPY credentials credentials
# build-nodes only (the math service has its own image); npm pack runs prepack/postpack, so the
# packed package.json is the published manifest (scripts/pack/publishManifest.mjs)
RUN node scripts/build-nodes.mjs \
 && npm pack --pack-destination /tmp \
 && mkdir -p /out/home/.n8n/nodes/node_modules/n8n-nodes-highfreqquant /out/home/hfq-init \
 && tar -xzf /tmp/n8n-nodes-highfreqquant-*.tgz -C /out/home/.n8n/nodes/node_modules/n8n-nodes-highfreqquant --strip-components=1 \
 && node -e "const p=require('./package.json');require('fs').writeFileSync('/out/home/.n8n/nodes/package.json',JSON.stringify({name:'installed-nodes',private:true,dependencies:{[p.name]:p.version}},null,2)+'\n')" \
 && node -e "const d='/out/home/.n8n/nodes/node_modules/n8n-nodes-highfreqquant/';const p=require(d+'package.json');for(const f of [...p.n8n.nodes,...p.n8n.credentials])require('fs').accessSync(d+f)"

# 2. The official n8n image plus the package and the set-up script.
FROM ${N8N_IMAGE}
# /home/node/.n8n/nodes (the package) and /home/node/hfq-init (n8n-init's state volume), owned by node
COPY --from=package --chown=node:node /out/home/ /home/node/
COPY --chown=node:node scripts/n8n /opt/highfreqquant/scripts/n8n
COPY --chown=node:node scripts/pack /opt/highfreqquant/scripts/pack
COPY --chown=node:node scripts/start/n8nWorkflows.mjs /opt/highfreqquant/scripts/start/n8nWorkflows.mjs
COPY --chown=node:node workflows /opt/highfreqquant/workflows
ENV N8N_COMMUNITY_PACKAGES_ENABLED=true \
    N8N_REINSTALL_MISSING_PACKAGES=false
