# AgentFlow: one image for every role (api, worker, all). Deploy on Node 24.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY client/package.json client/
COPY plugin-sdk/package.json plugin-sdk/
COPY plugins plugins
RUN npm ci
COPY . .
RUN npm run build -w client

FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
COPY server/package.json server/
COPY client/package.json client/
COPY plugin-sdk/package.json plugin-sdk/
# The first-party plugins' packed documents (plugins/*/dist) seed the marketplace at start.
COPY plugins plugins
RUN npm ci --omit=dev && npm cache clean --force
COPY migrations migrations
COPY schemas schemas
COPY plugin-sdk/src plugin-sdk/src
COPY server/src server/src
COPY server/tsconfig.json server/
COPY tsconfig.base.json ./
COPY --from=build /app/client/dist client/dist
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "--import", "tsx", "server/src/main.ts"]
CMD ["--role=all"]
