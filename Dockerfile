# Production image of the Manager (see docker-compose.yml). Worker and Guardian run on the hosts
# themselves (deploy/systemd/), since they drive Docker, LXD and nftables there.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY scripts/build-web.sh ./scripts/
RUN npm run build:prod && npm prune --omit=dev

FROM node:20-bookworm-slim
# git: the Manager's repository poller runs `git ls-remote`; tini forwards signals to node.
RUN apt-get update \
  && apt-get install -y --no-install-recommends git ca-certificates tini \
  && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
  MANAGER_HOST=0.0.0.0 \
  MANAGER_PORT=3000 \
  MANAGER_STATE_DIR=/var/lib/testausdeploy/manager
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The state directory (the Manager's ICP key and certificate) belongs to the unprivileged user, so a
# fresh named volume mounted there inherits that ownership.
RUN mkdir -p /var/lib/testausdeploy/manager \
  && chown -R node:node /var/lib/testausdeploy \
  && chmod 0700 /var/lib/testausdeploy/manager
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "require('http').get('http://127.0.0.1:'+(process.env.MANAGER_PORT||3000)+'/health',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/apps/manager/src/main.js"]
