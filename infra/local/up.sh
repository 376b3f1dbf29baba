#!/usr/bin/env bash
# First README command: starts the whole platform on its local defaults — engines (Kafka, FerretDB,
# Redis), every service that exists, the console — and seeds the demo territory. Idempotent.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$LOGIS_ROOT/infra/local/services.sh"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

"$LOGIS_ROOT/infra/local/install.sh" node redis kafka ferretdb
use_pinned_node # the Node.js that install.sh may just have fetched
command -v curl >/dev/null || apt_install curl
log "building the workspace"
(cd "$LOGIS_ROOT" && pnpm -s turbo run build --output-logs=errors-only)
"$LOGIS_ROOT/infra/local/infra.sh" up >/dev/null

AUTH_PUBLIC_JWK="$(node "$LOGIS_ROOT/packages/auth/dist/cli.js" keys "$LOCAL_DIR/auth/keys.json")"
export AUTH_PUBLIC_JWK
export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" MONGO_URL="mongodb://127.0.0.1:$MONGO_PORT" REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
export NODE_ENV=development LOG_LEVEL="${LOG_LEVEL:-info}"
# The console signs the demo users' tokens with the local issuer's key, server side (never sent to the browser).
export CONSOLE_DEV_ISSUER_KEYS="$LOCAL_DIR/auth/keys.json"

started=()
for entry in "${LOGIS_SERVICES[@]}"; do
  name="${entry%%:*}" port="${entry##*:}" dir="$LOGIS_ROOT/services/${entry%%:*}"
  [[ -f "$dir/src/main.ts" ]] || continue # no entry point yet: not started
  pidfile="$RUN_DIR/$name.pid"
  if pid_alive "$pidfile"; then started+=("$name:$port"); continue; fi
  log "starting $name on 127.0.0.1:$port"
  # exec: the recorded pid is node's own, so down.sh stops the service itself.
  (cd "$dir" && PORT="$port" MONGO_DB="logis-$name" OTEL_SERVICE_NAME="$name" \
    exec node --enable-source-maps --import @logis/observability/instrument dist/main.js) \
    </dev/null >>"$LOG_DIR/$name.log" 2>&1 &
  echo $! >"$pidfile"
  started+=("$name:$port")
done
for entry in "${started[@]}"; do
  name="${entry%%:*}" port="${entry##*:}"
  wait_for "$name" 60 curl -fs -o /dev/null "http://127.0.0.1:$port/readyz" ||
    die "$name is not ready after 60 s: see $LOG_DIR/$name.log"
done

if [[ -x "$LOGIS_ROOT/infra/local/seed.sh" ]]; then "$LOGIS_ROOT/infra/local/seed.sh"; fi

echo
log "the platform is up"
echo "  engines : Kafka 127.0.0.1:$KAFKA_PORT · FerretDB (MongoDB wire) 127.0.0.1:$MONGO_PORT · Redis 127.0.0.1:$REDIS_PORT"
if ((${#started[@]} == 0)); then
  echo "  services: none yet"
else
  for entry in "${started[@]}"; do
    if [[ "${entry%%:*}" == console ]]; then
      echo "  console: http://127.0.0.1:${entry##*:}  (sign in as a demo user)"
    else
      echo "  ${entry%%:*}: http://127.0.0.1:${entry##*:}  (OpenAPI: /openapi.json)"
    fi
  done
fi
echo "  a token for a demo user: node packages/auth/dist/cli.js guichet .local/auth/keys.json"
echo "  logs: $LOG_DIR · stop everything: bash infra/local/down.sh"
