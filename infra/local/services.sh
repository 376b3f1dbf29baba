# The platform's services and their local ports (sourced by up.sh and down.sh).
# A service is started only once its folder exists under services/.
LOGIS_SERVICES=(
  "registration:3001"
  "cotation:3002"
  "flux:3003"
  "cal:3004"
  "reporting:3005"
  "console:3000"
)
