#!/usr/bin/env bash
# Fault script (issue 10): during a bounded load of registrations (8 desks, FAULTS_MAX attempts at
# most, FAULTS_SECONDS at most), SIGKILLs each service and restarts Kafka, the database and Redis,
# then checks the invariants: no demand lost, no numéro twice, every event once, every consumer caught
# up, the databases answer. Prints what it did and what it found; exit 1 when an invariant breaks.
#
# It runs on its OWN engines and services (a scratch directory, other ports: the shared platform of
# up.sh is never touched), all on 127.0.0.1, and stops them at the end.
#   bash infra/faults/run.sh
# Settings: FAULTS_MAX (20000) · FAULTS_SECONDS (300) · FAULTS_CLIENTS (8) · FAULTS_STEP (60 registrations
# between faults) · FAULTS_SKIP_BUILD=1 · FAULTS_KEEP=1 (keep the scratch directory and its logs) ·
# FAULTS_AT_LEAST_ONCE=1 (events sent again after a crash are reported, not failed) · FAULTS_TREE (HEAD: the revision whose services run; "." the working checkout) ·
# FAULTS_FERRETDB_BIN (another runner binary, e.g. one built without a patch, to see the freeze).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
WORK="$(mktemp -d /tmp/logis-faults.XXXXXX)"
export LOGIS_LOCAL_DIR="$WORK" LOGIS_KAFKA_PORT="${FAULTS_KAFKA_PORT:-19092}"
export LOGIS_KAFKA_CONTROLLER_PORT="${FAULTS_KAFKA_CONTROLLER_PORT:-19093}" LOGIS_MONGO_PORT="${FAULTS_MONGO_PORT:-27027}"
export LOGIS_REDIS_PORT="${FAULTS_REDIS_PORT:-16379}"
source "$ROOT/infra/local/lib.sh"
REG_PORT="${FAULTS_REGISTRATION_PORT:-13001}" COT_PORT="${FAULTS_COTATION_PORT:-13002}"
STEP="${FAULTS_STEP:-60}"
OUT="$WORK/answers.jsonl"
T0=$SECONDS
say() { printf '[faults +%4ss] %s\n' "$((SECONDS - T0))" "$*"; }
INFRA="$ROOT/infra/local/infra.sh"

for port in "$LOGIS_KAFKA_PORT" "$LOGIS_KAFKA_CONTROLLER_PORT" "$LOGIS_MONGO_PORT" "$LOGIS_REDIS_PORT" "$REG_PORT" "$COT_PORT"; do
  port_open "$port" && die "port $port is taken (another fault run?); set FAULTS_*_PORT"
done

LOAD_PID=""
cleanup() {
  set +e
  [[ -n "$LOAD_PID" ]] && kill -TERM "$LOAD_PID" 2>/dev/null
  stop_pidfile registration "$RUN_DIR/registration.pid" >/dev/null 2>&1
  stop_pidfile cotation "$RUN_DIR/cotation.pid" >/dev/null 2>&1
  stop_pidfile ferretdb "$RUN_DIR/ferretdb.pid" >/dev/null 2>&1
  "$INFRA" down kafka redis >/dev/null 2>&1
  if [[ -n "${FAULTS_KEEP:-}" ]]; then say "kept $WORK (logs in $WORK/logs)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# The services run from a private copy of the committed tree (FAULTS_TREE, a git revision; "." runs
# the working checkout as it is): a shared checkout's dist/ folders change under a running script.
if [[ "${FAULTS_TREE:-HEAD}" == "." ]]; then
  APP="$ROOT"
else
  APP="$WORK/tree"
  mkdir -p "$APP"
  git -C "$ROOT" archive "${FAULTS_TREE:-HEAD}" | tar -x -C "$APP"
  say "services from $(git -C "$ROOT" rev-parse --short "${FAULTS_TREE:-HEAD}") (a copy in $APP); installing"
  (cd "$APP" && pnpm install --frozen-lockfile --prefer-offline --reporter=silent) >/dev/null || die "pnpm install failed"
fi
if [[ -z "${FAULTS_SKIP_BUILD:-}" ]]; then
  say "building registration, cotation and their packages"
  (cd "$APP" && TURBO_TELEMETRY_DISABLED=1 pnpm -s turbo run build --output-logs=errors-only \
    --filter=@logis/registration --filter=@logis/cotation --filter=@logis/auth) >/dev/null || die "build failed"
fi

FERRETDB="${FAULTS_FERRETDB_BIN:-$(ferretdb_bin)}"
[[ -x "$FERRETDB" ]] || "$ROOT/infra/local/install.sh" ferretdb
mongo_start() {
  mkdir -p "$DATA_DIR/ferretdb"
  nohup "$FERRETDB" --listen-addr "127.0.0.1:$LOGIS_MONGO_PORT" --sqlite-url "file:$DATA_DIR/ferretdb/" \
    </dev/null >>"$LOG_DIR/ferretdb.log" 2>&1 &
  echo $! >"$RUN_DIR/ferretdb.pid"
  disown
  wait_for ferretdb 30 port_open "$LOGIS_MONGO_PORT" 2>/dev/null || die "FerretDB did not start: $LOG_DIR/ferretdb.log"
}

say "scratch directory $WORK; engines: Kafka :$LOGIS_KAFKA_PORT, FerretDB :$LOGIS_MONGO_PORT ($(basename "$FERRETDB")), Redis :$LOGIS_REDIS_PORT"
"$INFRA" up kafka redis >/dev/null 2>&1 || die "engines did not start: see $LOG_DIR"
mongo_start

AUTH_PUBLIC_JWK="$(node "$APP/packages/auth/dist/cli.js" keys "$WORK/auth/keys.json")"
TOKEN="$(node "$APP/packages/auth/dist/cli.js" guichet "$WORK/auth/keys.json")"
# One desk token drives the whole load: no per-caller rate limit here (it is tested on its own).
export AUTH_PUBLIC_JWK NODE_ENV=development LOG_LEVEL="${LOG_LEVEL:-warn}" RATE_LIMIT_PER_MINUTE=0
export KAFKA_BROKERS="127.0.0.1:$LOGIS_KAFKA_PORT" MONGO_URL="mongodb://127.0.0.1:$LOGIS_MONGO_PORT"
export REDIS_URL="redis://127.0.0.1:$LOGIS_REDIS_PORT"
export FAULTS_REGISTRATION_URL="http://127.0.0.1:$REG_PORT" FAULTS_COTATION_URL="http://127.0.0.1:$COT_PORT"
export FAULTS_TOKEN="$TOKEN" FAULTS_OUT="$OUT"
: >"$OUT"

start_service() { # name port
  (cd "$APP/services/$1" && PORT="$2" MONGO_DB="logis-$1" OTEL_SERVICE_NAME="$1" \
    exec node --enable-source-maps --import @logis/observability/instrument dist/main.js) \
    </dev/null >>"$LOG_DIR/$1.log" 2>&1 &
  echo $! >"$RUN_DIR/$1.pid"
  disown
  local deadline=$((SECONDS + 120))
  until curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$2/readyz"; do
    kill -0 "$(cat "$RUN_DIR/$1.pid")" 2>/dev/null || { say "FOUND: $1 exited at start (see $LOG_DIR/$1.log)"; STALLS=$((STALLS + 1)); return 1; }
    ((SECONDS < deadline)) || { say "FOUND: $1 not ready after 120 s"; STALLS=$((STALLS + 1)); return 1; }
    sleep 0.5
  done
  say "$1 ready on :$2 (pid $(cat "$RUN_DIR/$1.pid"))"
}
sigkill() { # name
  local pid; pid="$(cat "$RUN_DIR/$1.pid")"
  kill -KILL "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  say "SIGKILL $1 (pid $pid)"
}
registered() { grep -c '"status":201' "$OUT" 2>/dev/null || true; }
# progress N: waits (90 s at most) for N more answered registrations; a stall is a finding.
progress() {
  local want=$(($(registered) + $1)) deadline=$((SECONDS + 90))
  until (($(registered) >= want)); do
    if ((SECONDS >= deadline)); then
      say "FOUND: no progress — $(registered) registered, wanted $want within 90 s"; STALLS=$((STALLS + 1)); return 0
    fi
    kill -0 "$LOAD_PID" 2>/dev/null || { say "the load ended ($(registered) registered)"; return 0; }
    sleep 0.5
  done
  say "$(registered) registered"
}
# db_answers NAME: a real query on registration's database with a 2 s timeout (mongoReady).
db_answers() {
  if (cd "$APP/services/registration" && node --input-type=module -e '
      import { connectMongo, mongoReady } from "@logis/outbox";
      const c = await connectMongo(process.env.MONGO_URL, "logis-registration");
      const ok = await mongoReady(c, 2000, "demands")();
      await c.close(); process.exit(ok ? 0 : 1);'); then
    say "$1: the registration database answers a query within 2 s"
  else
    say "FOUND: $1: the registration database does NOT answer a query within 2 s"; STALLS=$((STALLS + 1))
  fi
}

STALLS=0
start_service registration "$REG_PORT" || die "registration did not start"
start_service cotation "$COT_PORT" || die "cotation did not start"

say "load: ${FAULTS_CLIENTS:-8} desks, at most ${FAULTS_MAX:-20000} attempts and ${FAULTS_SECONDS:-300} s"
(cd "$APP/services/registration" && FAULTS_MAX="${FAULTS_MAX:-20000}" FAULTS_SECONDS="${FAULTS_SECONDS:-300}" \
  exec node --import tsx bench/faults.ts load) &
LOAD_PID=$!
disown

say "— 1. the sequence of issue 10: burst, SIGKILL registration, restart, burst"
progress "$STEP"
sigkill registration
start_service registration "$REG_PORT" || true
progress "$((STEP * 2))"
db_answers "after the second burst"

say "— 2. SIGKILL cotation during the load, restart"
sigkill cotation
start_service cotation "$COT_PORT" || true
progress "$STEP"

say "— 3. restart Kafka during the load"
"$INFRA" down kafka >/dev/null 2>&1; say "Kafka stopped"
sleep 3
"$INFRA" up kafka >/dev/null 2>&1; say "Kafka started"
progress "$STEP"

say "— 4. restart the database (SIGKILL FerretDB) during the load"
sigkill ferretdb
sleep 2
mongo_start; say "FerretDB started"
progress "$STEP"
db_answers "after the database restart"

say "— 5. restart Redis during the load (its data is not persisted: numéro sequences reseed from the database)"
"$INFRA" down redis >/dev/null 2>&1; say "Redis stopped"
sleep 2
"$INFRA" up redis >/dev/null 2>&1; say "Redis started"
progress "$STEP"

say "— 6. SIGKILL registration once more, restart"
sigkill registration
start_service registration "$REG_PORT" || true
progress "$STEP"

kill -TERM "$LOAD_PID" 2>/dev/null || true
while kill -0 "$LOAD_PID" 2>/dev/null; do sleep 0.2; done
LOAD_PID=""
say "load stopped: $(wc -l <"$OUT") answers, $(registered) registered"
say "— checks (waiting at most ${FAULTS_SETTLE_SECONDS:-120} s for outboxes and consumers)"
status=0
(cd "$APP/services/registration" && node --import tsx bench/faults.ts check) || status=1
((STALLS == 0)) || { say "$STALLS stall(s) or unanswered database probe(s) during the run"; status=1; }
say "done: $([[ $status == 0 ]] && echo "every invariant holds" || echo "FAILED")"
exit "$status"
