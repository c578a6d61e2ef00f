#!/usr/bin/env bash
# Installs everything offerload needs, idempotently: npm packages, the pinned k6 and InfluxDB 1.8.10 (both
# built with Go from the module proxy into .tools/bin). `--tests` also installs what only the tests use (Chromium to render
# report.html, docker-compose to validate docker-compose.yml), so the demo installs only what it needs;
# `--bench` also installs wrk and Artillery (the peer load tool, pinned, into .tools/artillery) for the benchmarks. Safe to run again; each step is skipped when already done.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf 'setup: %s\n' "$*" >&2; }

apt_updated=0
# apt_install WHY PACKAGE...: installs Debian packages as root, updating the package lists once first.
apt_install() {
  local why="$1"; shift
  if [ "$(id -u)" != 0 ]; then
    say "missing $*: run 'sudo apt-get install $*' ($why), then run this again."
    exit 3
  fi
  if [ "$apt_updated" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  say "installing $* ($why)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

say "k6: $(bash scripts/install-k6.sh)"

say "influxd: $(bash scripts/install-influxd.sh)"

flags=" $* "
# The tests open report.html in a real browser (Debian's Chromium, headless) and validate
# docker-compose.yml with Debian's docker-compose (no Docker engine is needed for that).
if [[ "$flags" == *" --tests "* || "$flags" == *" --bench "* ]]; then
  command -v chromium >/dev/null 2>&1 || apt_install "to render report.html in the tests" chromium
  command -v docker-compose >/dev/null 2>&1 || apt_install "to validate docker-compose.yml in the tests" docker-compose
  command -v openssl >/dev/null 2>&1 || apt_install "to make the TLS certificate of the secured InfluxDB tests" openssl
  # the unit tests and a smoke run also go through the current Node LTS (scripts/test.sh)
  say "node LTS: $(bash scripts/install-node-lts.sh)"
fi

# Benchmarks also need wrk (the load generator that measures servers without being their bottleneck).
if [[ "$flags" == *" --bench "* ]] && ! command -v wrk >/dev/null 2>&1; then
  apt_install "the benchmarks' load generator" wrk
fi

# Artillery, the peer the benchmarks compare offerload with, lives outside the project's dependencies (npm ci
# stays as it is): 2.0.21 is the last release whose engines field allows Node 20; --ignore-scripts skips the
# Playwright engine's browser download, which the HTTP engine never uses.
ARTILLERY_VERSION="2.0.21"
if [[ "$flags" == *" --bench "* ]] && ! grep -qs "\"version\": \"${ARTILLERY_VERSION}\"" .tools/artillery/node_modules/artillery/package.json; then
  say "installing artillery@${ARTILLERY_VERSION} into .tools/artillery (the benchmarks' peer load tool)"
  npm install --prefix .tools/artillery --no-audit --no-fund --ignore-scripts --loglevel=error "artillery@${ARTILLERY_VERSION}" >/dev/null
fi
