#!/usr/bin/env bash
# Second README command (and CI's): installs what is missing, starts the engines the integration
# tests need, then builds, lints, typechecks and runs every test. Engines this script started are
# stopped at the end; engines that were already running are left alone.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

"$LOGIS_ROOT/infra/local/install.sh" node redis kafka ferretdb chromium
use_pinned_node # the Node.js that install.sh may just have fetched
ours=()
for e in redis mongo kafka; do
  "$LOGIS_ROOT/infra/local/infra.sh" status "$e" >/dev/null 2>&1 || ours+=("$e")
done
cleanup() { ((${#ours[@]})) && "$LOGIS_ROOT/infra/local/infra.sh" down "${ours[@]}" || true; }
trap cleanup EXIT
"$LOGIS_ROOT/infra/local/infra.sh" up >/dev/null

export KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" MONGO_URL="mongodb://127.0.0.1:$MONGO_PORT" REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
cd "$LOGIS_ROOT"
log "build"
pnpm -s turbo run build --output-logs=errors-only
log "lint and format check"
pnpm -s exec biome check .
log "typecheck"
pnpm -s turbo run typecheck --output-logs=errors-only
log "tests (unit, then integration against the real engines)"
report="$LOCAL_DIR/vitest-report.json"
set +e
pnpm -s exec vitest run --reporter=default --reporter=json --outputFile="$report"
status=$?
set -e
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$report" || true
exit $status
