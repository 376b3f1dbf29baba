#!/usr/bin/env bash
# Stops every service started by up.sh, then the engines. Data is kept (infra.sh reset deletes it).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$LOGIS_ROOT/infra/local/services.sh"
for entry in "${LOGIS_SERVICES[@]}"; do stop_pidfile "${entry%%:*}" "$RUN_DIR/${entry%%:*}.pid"; done
"$LOGIS_ROOT/infra/local/infra.sh" down
