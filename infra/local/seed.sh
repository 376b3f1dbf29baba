#!/usr/bin/env bash
# Seeds the demo territory through the services' own APIs (idempotent). Called by up.sh.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if [[ -f "$LOGIS_ROOT/services/registration/dist/tools/seed-demo.js" ]]; then
  node "$LOGIS_ROOT/services/registration/dist/tools/seed-demo.js" http://127.0.0.1:3001 "$LOCAL_DIR/auth/keys.json" "${LOGIS_DEMO_DEMANDS:-250}"
fi
if [[ -f "$LOGIS_ROOT/services/cotation/dist/tools/seed-demo.js" ]]; then
  node "$LOGIS_ROOT/services/cotation/dist/tools/seed-demo.js" http://127.0.0.1:3002 "$LOCAL_DIR/auth/keys.json"
fi
if [[ -f "$LOGIS_ROOT/services/flux/dist/tools/seed-demo.js" ]]; then
  node "$LOGIS_ROOT/services/flux/dist/tools/seed-demo.js" http://127.0.0.1:3003 "$LOCAL_DIR/auth/keys.json"
fi
if [[ -f "$LOGIS_ROOT/services/cal/dist/tools/seed-demo.js" ]]; then
  node "$LOGIS_ROOT/services/cal/dist/tools/seed-demo.js" http://127.0.0.1:3004 "$LOCAL_DIR/auth/keys.json"
fi
# The year simulation (issue 13): a small year of the Moselle demo territory driven through the chain.
if [[ -f "$LOGIS_ROOT/packages/simulation/dist/cli.js" && "${LOGIS_SIMULATE_YEAR:-1}" != 0 ]]; then
  node "$LOGIS_ROOT/packages/simulation/dist/cli.js" --taille petite --cles "$LOCAL_DIR/auth/keys.json"
fi
