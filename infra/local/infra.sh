#!/usr/bin/env bash
# Starts, checks and stops the local engines as background processes bound to 127.0.0.1.
# Usage: infra.sh up|down|status|reset [kafka|mongo|redis]...
#   up      install what is missing, start what is not running, wait until healthy (idempotent)
#   down    stop (SIGTERM, then SIGKILL after 20 s)
#   status  exit 0 only when every named engine answers
#   reset   down, then delete the named engines' data
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

kafka_up() {
  local pidfile="$RUN_DIR/kafka.pid"
  if pid_alive "$pidfile" && port_open "$KAFKA_PORT"; then return 0; fi
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by another process (set LOGIS_KAFKA_PORT)"
  "$LOGIS_ROOT/infra/local/install.sh" kafka
  local dir="$DATA_DIR/kafka" props="$DATA_DIR/kafka.properties"
  mkdir -p "$dir"
  sed -e "s#@PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" -e "s#@DATA@#$dir#g" \
    "$LOGIS_ROOT/infra/local/kafka/server.properties.tmpl" >"$props"
  local java=(java -Xms256m -Xmx768m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$LOGIS_ROOT/infra/local/kafka/log4j.properties" -cp "$KAFKA_LIBS/*")
  if [[ ! -f "$dir/meta.properties" ]]; then
    # A 22-character base64url cluster id, as kafka-storage random-uuid prints.
    # Not starting with '-': the storage tool would read it as an option ("expected one argument").
    local cluster_id="-"
    while [[ "$cluster_id" == -* ]]; do
      cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)"
    done
    "${java[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$props" --ignore-formatted \
      >>"$LOG_DIR/kafka.log" 2>&1 || die "kafka storage format failed: see $LOG_DIR/kafka.log"
  fi
  log "starting Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT"
  KAFKA_LOG_MARK=$(($(wc -l <"$LOG_DIR/kafka.log" 2>/dev/null || echo 0) + 1))
  nohup "${java[@]}" kafka.Kafka "$props" </dev/null >>"$LOG_DIR/kafka.log" 2>&1 &
  echo $! >"$pidfile"
  wait_for kafka 90 kafka_started || die "Kafka did not start within 90 s: see $LOG_DIR/kafka.log"
}
kafka_started() {
  pid_alive "$RUN_DIR/kafka.pid" || die "Kafka exited: see $LOG_DIR/kafka.log"
  port_open "$KAFKA_PORT" && tail -n "+$KAFKA_LOG_MARK" "$LOG_DIR/kafka.log" | grep -q "Kafka Server started"
}

mongo_up() {
  local pidfile="$RUN_DIR/ferretdb.pid"
  if pid_alive "$pidfile" && port_open "$MONGO_PORT"; then return 0; fi
  port_open "$MONGO_PORT" && die "port $MONGO_PORT is taken by another process (set LOGIS_MONGO_PORT)"
  "$LOGIS_ROOT/infra/local/install.sh" ferretdb
  local args=(--listen-addr "127.0.0.1:$MONGO_PORT" --handler "$FERRETDB_HANDLER")
  if [[ "$FERRETDB_HANDLER" == "postgresql" ]]; then
    postgres_up
    args+=(--postgresql-url "postgres://logis:logis@127.0.0.1:5432/ferretdb")
  else
    mkdir -p "$DATA_DIR/ferretdb"
    args+=(--sqlite-url "file:$DATA_DIR/ferretdb/")
  fi
  log "starting FerretDB v1 ($FERRETDB_HANDLER) on 127.0.0.1:$MONGO_PORT"
  nohup "$(ferretdb_bin)" "${args[@]}" </dev/null >>"$LOG_DIR/ferretdb.log" 2>&1 &
  echo $! >"$pidfile"
  wait_for ferretdb 30 mongo_started || die "FerretDB did not start within 30 s: see $LOG_DIR/ferretdb.log"
}
mongo_started() { pid_alive "$RUN_DIR/ferretdb.pid" || die "FerretDB exited: see $LOG_DIR/ferretdb.log"; port_open "$MONGO_PORT"; }

postgres_up() {
  apt_install postgresql
  local cluster; cluster="$(pg_lsclusters -h | awk 'NR==1{print $1" "$2}')"
  [[ -n "$cluster" ]] || die "no PostgreSQL cluster found after installing postgresql"
  # shellcheck disable=SC2086
  pg_ctlcluster $cluster start 2>/dev/null || true
  wait_for postgresql 30 port_open 5432 || die "PostgreSQL did not start"
  su postgres -c "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='logis'\"" | grep -q 1 ||
    su postgres -c "psql -qc \"CREATE ROLE logis LOGIN PASSWORD 'logis'\""
  su postgres -c "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='ferretdb'\"" | grep -q 1 ||
    su postgres -c "psql -qc 'CREATE DATABASE ferretdb OWNER logis'"
}

redis_up() {
  local pidfile="$RUN_DIR/redis.pid"
  if pid_alive "$pidfile" && port_open "$REDIS_PORT"; then return 0; fi
  port_open "$REDIS_PORT" && die "port $REDIS_PORT is taken by another process (set LOGIS_REDIS_PORT)"
  "$LOGIS_ROOT/infra/local/install.sh" redis
  mkdir -p "$DATA_DIR/redis"
  log "starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --pidfile "$pidfile" \
    --dir "$DATA_DIR/redis" --logfile "$LOG_DIR/redis.log" --save "" --appendonly no
  wait_for redis 20 redis_started || die "Redis did not start: see $LOG_DIR/redis.log"
}
redis_started() { redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

kafka_down() { stop_pidfile kafka "$RUN_DIR/kafka.pid"; }
mongo_down() { stop_pidfile ferretdb "$RUN_DIR/ferretdb.pid"; }
redis_down() { stop_pidfile redis "$RUN_DIR/redis.pid"; }

kafka_status() { pid_alive "$RUN_DIR/kafka.pid" && port_open "$KAFKA_PORT"; }
mongo_status() { pid_alive "$RUN_DIR/ferretdb.pid" && port_open "$MONGO_PORT"; }
redis_status() { redis_started; }

cmd="${1:-}"; shift || true
engines=("$@"); ((${#engines[@]})) || engines=(redis mongo kafka)
for e in "${engines[@]}"; do [[ "$e" =~ ^(kafka|mongo|redis)$ ]] || die "unknown engine: $e (kafka, mongo, redis)"; done

case "$cmd" in
  up) for e in "${engines[@]}"; do "${e}_up"; done
      echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT MONGO_URL=mongodb://127.0.0.1:$MONGO_PORT REDIS_URL=redis://127.0.0.1:$REDIS_PORT" ;;
  down) for e in "${engines[@]}"; do "${e}_down"; done ;;
  status)
    rc=0
    for e in "${engines[@]}"; do
      if "${e}_status"; then echo "$e: up"; else echo "$e: down"; rc=1; fi
    done
    exit $rc ;;
  reset)
    for e in "${engines[@]}"; do "${e}_down"; done
    for e in "${engines[@]}"; do
      case "$e" in kafka) rm -rf "$DATA_DIR/kafka" ;; mongo) rm -rf "$DATA_DIR/ferretdb" ;; redis) rm -rf "$DATA_DIR/redis" ;; esac
    done
    log "data reset: ${engines[*]}" ;;
  *) die "usage: infra.sh up|down|status|reset [kafka|mongo|redis]..." ;;
esac
