#!/usr/bin/env bash
# The main job end to end on this machine: installs what is missing, runs offer-burst for 90 s at a modest
# rate against the embedded simulator with the local InfluxDB, prints the summary, and stops only what it
# started (the simulator always; InfluxDB when it was not already running).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh || exit $?
cli() { node bin/offerload.js "$@"; }

influx_was_running=0
cli influx status >/dev/null 2>&1 && influx_was_running=1

cli run offer-burst --profile burst --rate "${DEMO_RATE:-10}" --duration "${DEMO_DURATION:-90s}" "$@"
status=$?

if [ "$influx_was_running" = 0 ]; then
  cli influx stop >/dev/null
  echo "demo: stopped the InfluxDB it started; 'npx offerload influx start' brings it back with this run's data."
fi
exit $status
