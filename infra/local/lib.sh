#!/usr/bin/env bash
# Shared settings for the local infrastructure scripts. Sourced, never run.
# Everything binds to 127.0.0.1. Data lives in <repo>/.local (git-ignored); downloaded jars and built
# binaries live in a cache outside the repo so that a fresh clone on the same machine reuses them.
set -euo pipefail

LOGIS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL_DIR="${LOGIS_LOCAL_DIR:-$LOGIS_ROOT/.local}"
DATA_DIR="$LOCAL_DIR/data"
LOG_DIR="$LOCAL_DIR/logs"
RUN_DIR="$LOCAL_DIR/run"
CACHE_DIR="${LOGIS_CACHE:-$HOME/.cache/logis}"
BIN_DIR="$CACHE_DIR/bin"

KAFKA_VERSION="3.9.1"
KAFKA_LIBS="$CACHE_DIR/kafka-$KAFKA_VERSION/libs"
KAFKA_PORT="${LOGIS_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${LOGIS_KAFKA_CONTROLLER_PORT:-9093}"
MONGO_PORT="${LOGIS_MONGO_PORT:-27017}"
REDIS_PORT="${LOGIS_REDIS_PORT:-6379}"
FERRETDB_HANDLER="${LOGIS_FERRETDB_HANDLER:-sqlite}"   # sqlite | postgresql
# k6 v2 (go.k6.io/k6/v2) cannot be go-installed through the module proxy here: the proxy serves its
# versions but not its version list, and go's deprecation lookup then needs the vanity host. v1 works.
K6_MODULE="go.k6.io/k6@v1.8.1"
PNPM_VERSION="10.34.8"
# The Node.js LTS line the project runs on (Node 20 ended in April 2026). install.sh fetches this
# exact build from the npm registry (package node-linux-<arch>) into the cache when the machine's
# node is another version; every script then puts it first in PATH.
NODE_VERSION="24.22.3"
NODE_DIR="$CACHE_DIR/node-$NODE_VERSION"
use_pinned_node() { if [[ -x "$NODE_DIR/bin/node" ]]; then export PATH="$NODE_DIR/bin:$PATH"; fi; }
use_pinned_node

export GOTOOLCHAIN=local CGO_ENABLED=0

mkdir -p "$DATA_DIR" "$LOG_DIR" "$RUN_DIR" "$BIN_DIR"

log() { printf '\033[1;34m[logis]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[logis] %s\033[0m\n' "$*" >&2; exit 1; }

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_for NAME SECONDS CMD...: polls CMD once per 0.5 s until it succeeds or the deadline passes.
wait_for() {
  local name="$1" seconds="$2"; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if ((SECONDS >= deadline)); then return 1; fi
    sleep 0.5
  done
  log "$name is ready"
}

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pidfile NAME PIDFILE: SIGTERM, wait up to 20 s, then SIGKILL.
stop_pidfile() {
  local name="$1" pidfile="$2"
  if pid_alive "$pidfile"; then
    local pid; pid="$(cat "$pidfile")"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
    log "$name stopped"
  fi
  rm -f "$pidfile"
}

ferretdb_bin() {
  # The binary name carries a hash of the wrapper's sources and patches, so a change to them rebuilds it.
  local hash; hash="$(cat "$LOGIS_ROOT"/infra/local/ferretdb-runner/{go.mod,go.sum,main.go,patches/*.patch} | sha256sum | cut -c1-12)"
  echo "$BIN_DIR/ferretdb-runner-$hash"
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  ((${#missing[@]} == 0)) && return 0
  local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  log "installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
