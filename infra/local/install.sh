#!/usr/bin/env bash
# Installs what the local platform needs, idempotently: reuses whatever is already present.
# Usage: install.sh [node|redis|kafka|ferretdb|chromium|k6|all]...   (default: node redis kafka ferretdb chromium)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_node() {
  if [[ "$(node -p process.versions.node 2>/dev/null || true)" != "$NODE_VERSION" ]]; then
    # A fresh Debian machine may have Node 20 only, or none: its npm fetches the pinned build.
    command -v npm >/dev/null || apt_install npm
    local arch; case "$(uname -m)" in x86_64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) die "no Node.js build for $(uname -m)" ;; esac
    log "installing Node.js $NODE_VERSION (node-linux-$arch from the npm registry)"
    local tmp; tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-$arch@$NODE_VERSION" >/dev/null)
    rm -rf "$NODE_DIR.tmp" && mkdir -p "$NODE_DIR.tmp"
    tar -xzf "$tmp"/node-linux-"$arch"-*.tgz -C "$NODE_DIR.tmp" --strip-components=1 package/bin package/LICENSE
    rm -rf "$tmp" "$NODE_DIR" && mv "$NODE_DIR.tmp" "$NODE_DIR"
    use_pinned_node
  fi
  [[ "$(node -p process.versions.node)" == "$NODE_VERSION" ]] || die "Node.js $NODE_VERSION is not first in PATH"
  if [[ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]]; then
    log "installing pnpm $PNPM_VERSION"
    npm install -g --silent "pnpm@$PNPM_VERSION" >/dev/null
  fi
  (cd "$LOGIS_ROOT" && pnpm install --frozen-lockfile --reporter=silent) ||
    die "pnpm install --frozen-lockfile failed: run it without --reporter=silent to see why (a package.json changed without pnpm-lock.yaml?)"
}

install_redis() {
  command -v redis-server >/dev/null || apt_install redis-server
}

install_kafka() {
  if [[ -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]]; then return 0; fi
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null || apt_install maven
  log "resolving Apache Kafka $KAFKA_VERSION from Maven Central"
  local tmp="$KAFKA_LIBS.tmp"; rm -rf "$tmp"
  mvn -B -q -f "$LOGIS_ROOT/infra/local/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp"
  [[ -f "$tmp/kafka_2.13-$KAFKA_VERSION.jar" ]] || die "kafka_2.13 jar missing after Maven resolution"
  [[ $(ls "$tmp" | grep -c -E '^slf4j-(reload4j|log4j12|simple)') -eq 1 ]] || die "expected exactly one SLF4J binding in $tmp"
  mv "$tmp" "$KAFKA_LIBS"
}

install_ferretdb() {
  local bin; bin="$(ferretdb_bin)"
  [[ -x "$bin" ]] && return 0
  command -v go >/dev/null || die "Go 1.24+ is required to build the FerretDB runner"
  log "building the FerretDB runner (Go module proxy; first time takes a few minutes)"
  # The modules are vendored into a scratch copy so that our patches (patches/*.patch, each says
  # why) apply to FerretDB's sources before the build; the module cache stays untouched.
  local src="$LOGIS_ROOT/infra/local/ferretdb-runner" work; work="$(mktemp -d)"
  cp "$src"/{go.mod,go.sum,main.go} "$work/"
  (
    cd "$work" && go mod vendor
    for p in "$src"/patches/*.patch; do
      patch -s -p1 --forward -d vendor/github.com/FerretDB/FerretDB <"$p" || die "FerretDB patch failed: $p"
    done
    go build -mod=vendor -trimpath -o "$bin.tmp" . && mv "$bin.tmp" "$bin"
  ) || { rm -rf "$work"; die "FerretDB runner build failed"; }
  rm -rf "$work"
  if [[ "$FERRETDB_HANDLER" == "postgresql" ]]; then apt_install postgresql; fi
}

# The console's end-to-end tests drive Debian's Chromium through playwright-core (no browser download).
install_chromium() {
  command -v chromium >/dev/null || apt_install chromium
}

install_k6() {
  [[ -x "$BIN_DIR/k6" ]] && return 0
  command -v go >/dev/null || die "Go is required to build k6"
  log "building k6 ($K6_MODULE) with go install (several minutes the first time)"
  GOBIN="$BIN_DIR" go install -trimpath "$K6_MODULE"
}

targets=("$@"); ((${#targets[@]})) || targets=(node redis kafka ferretdb chromium)
for t in "${targets[@]}"; do
  case "$t" in
    all) install_node; install_redis; install_kafka; install_ferretdb; install_chromium; install_k6 ;;
    node|redis|kafka|ferretdb|chromium|k6) "install_$t" ;;
    *) die "unknown install target: $t" ;;
  esac
done
