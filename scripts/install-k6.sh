#!/usr/bin/env bash
# Installs the pinned k6 into .tools/bin, idempotently (scripts/go-tool.sh): keeps a k6 on PATH or in .tools/bin
# that reports the pinned version, else builds it from the Go module proxy. Prints the path of the k6 to use on
# its last line.
set -euo pipefail
# no automatic extension resolution: k6 would try the network to fetch extensions (src/node/k6/binary.ts)
export K6_AUTO_EXTENSION_RESOLUTION=false
K6_VERSION="${OFFERLOAD_K6_VERSION:-v2.2.0}"
source "$(dirname "${BASH_SOURCE[0]}")/go-tool.sh"
go_tool k6 "$K6_VERSION" go.k6.io/k6/v2 go.k6.io/k6/v2 "^k6 ${K6_VERSION//./\\.} "
