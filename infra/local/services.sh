# The platform's services and their local ports (sourced by up.sh and down.sh).
# A service is started only once it has an entry point (services/<name>/src/main.ts).
LOGIS_SERVICES=(
  "registration:3001"
  "cotation:3002"
  "flux:3003"
  "cal:3004"
  "reporting:3005"
  "console:3000"
)
