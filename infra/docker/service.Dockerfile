# One image per service, on the Node.js LTS line the project runs on (infra/local/lib.sh NODE_VERSION):
#   docker build -f infra/docker/service.Dockerfile --build-arg SERVICE=registration -t ghcr.io/logis/registration:dev .
# Not built on the development machines (no Docker there); the Kubernetes manifests (k8s/) use these images.
ARG NODE_VERSION=24.22.3

FROM node:${NODE_VERSION}-bookworm-slim AS build
ARG SERVICE
WORKDIR /repo
RUN corepack enable
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm turbo run build --filter="@logis/${SERVICE}..." \
 && pnpm --filter "@logis/${SERVICE}" deploy --prod /out \
 && cp -r "services/${SERVICE}/dist" /out/dist \
 && if [ -d "services/${SERVICE}/config" ]; then cp -r "services/${SERVICE}/config" /out/config; fi

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /out /app
USER node
EXPOSE 3000
CMD ["node", "--enable-source-maps", "--import", "@logis/observability/instrument", "dist/main.js"]
