#!/usr/bin/env bash
# Installs everything offerload needs, idempotently: npm packages, the pinned k6 (built with Go), and
# Debian's InfluxDB 1.x. Safe to run again; each step is skipped when already done.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf 'setup: %s\n' "$*" >&2; }

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

say "k6: $(bash scripts/install-k6.sh)"

if ! command -v influxd >/dev/null 2>&1 || ! command -v influx >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    say "InfluxDB is missing: run 'sudo apt-get install influxdb' (Debian's InfluxDB 1.x), then run this again."
    exit 3
  fi
  say "installing InfluxDB (Debian package influxdb)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends influxdb influxdb-client >/dev/null
fi
say "influxd: $(command -v influxd)"

# The tests open report.html in a real browser: Debian's Chromium, headless.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    say "installing chromium (Debian package, to render report.html in the tests)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    say "chromium is missing: the report rendering test will fail; run 'sudo apt-get install chromium'"
  fi
fi

# The tests validate docker-compose.yml with Debian's docker-compose (no Docker engine is needed for that).
if ! command -v docker-compose >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    say "installing docker-compose (Debian package, to validate docker-compose.yml)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
  else
    say "docker-compose is missing: the compose validation test will fail; run 'sudo apt-get install docker-compose'"
  fi
fi

# Benchmarks also need wrk (the load generator that measures servers without being their bottleneck).
if [ "${1:-}" = "--bench" ] && ! command -v wrk >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then say "wrk is missing: run 'sudo apt-get install wrk'"; exit 3; fi
  say "installing wrk (Debian package)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
