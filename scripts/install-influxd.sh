#!/usr/bin/env bash
# Installs the pinned InfluxDB server (influxd 1.8.10, the last 1.x that builds in pure Go: 1.9 and later need
# the Rust Flux library) into .tools/bin, idempotently (scripts/go-tool.sh): keeps an influxd on PATH or in
# .tools/bin that reports the pinned version, else builds it from the Go module proxy (about 2 minutes on 2
# cores, once). The version is stamped into the binary, so /ping's X-Influxdb-Version names it. Prints the path
# of the influxd to use on its last line.
set -euo pipefail
INFLUXD_VERSION="${OFFERLOAD_INFLUXD_VERSION:-1.8.10}"
source "$(dirname "${BASH_SOURCE[0]}")/go-tool.sh"
go_tool influxd "v${INFLUXD_VERSION}" github.com/influxdata/influxdb github.com/influxdata/influxdb/cmd/influxd \
  "^InfluxDB v${INFLUXD_VERSION//./\\.} " \
  "-X main.version=${INFLUXD_VERSION} -X main.branch=${INFLUXD_VERSION%.*} -X main.commit=v${INFLUXD_VERSION}"
