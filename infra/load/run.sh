#!/usr/bin/env bash
# Runs a k6 scenario of infra/load against the platform started by infra/local/up.sh (loopback only).
# Usage: bash infra/load/run.sh <scenario> [k6 args...]   e.g. registration-register
# One token drives the load: start the platform without the per-caller rate limit for it
# (`RATE_LIMIT_PER_MINUTE=0 bash infra/local/up.sh`), or the scenario meets 429s after 1,200 a minute.
source "$(dirname "${BASH_SOURCE[0]}")/../local/lib.sh"
scenario="${1:?usage: run.sh <scenario> [k6 args]}"; shift
"$LOGIS_ROOT/infra/local/install.sh" k6
[[ -f "$LOCAL_DIR/auth/keys.json" ]] || die "start the platform first: bash infra/local/up.sh"
TOKEN="$(node "$LOGIS_ROOT/packages/auth/dist/cli.js" guichet "$LOCAL_DIR/auth/keys.json")"
K6_NO_USAGE_REPORT=true TOKEN="$TOKEN" "$BIN_DIR/k6" run --no-usage-report "$LOGIS_ROOT/infra/load/$scenario.js" "$@"
