# One image for the three services; the command picks the service.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.base.json tsconfig.json ./
COPY packages/engine/package.json packages/engine/
COPY services/ingest/package.json services/ingest/
COPY services/processor/package.json services/processor/
COPY services/sink/package.json services/sink/
RUN npm ci --no-audit --no-fund
COPY packages packages
COPY services services
COPY scripts/copy-assets.mjs scripts/
# npm run build: tsc and the files it does not emit (Lua scripts, the corrected kafkajs module).
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# In a container the ops endpoints must be reachable from outside it (docs/security.md).
ENV SLUICE_METRICS_HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/packages/engine/package.json packages/engine/
COPY --from=build /app/packages/engine/dist packages/engine/dist
COPY --from=build /app/services/ingest/package.json services/ingest/
COPY --from=build /app/services/ingest/dist services/ingest/dist
COPY --from=build /app/services/processor/package.json services/processor/
COPY --from=build /app/services/processor/dist services/processor/dist
COPY --from=build /app/services/sink/package.json services/sink/
COPY --from=build /app/services/sink/dist services/sink/dist
USER node
CMD ["node", "--max-semi-space-size=16", "services/processor/dist/main.js"]
