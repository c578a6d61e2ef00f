#!/usr/bin/env bash
# Installs the pinned k6 into .tools/bin, idempotently: keeps a k6 on PATH or in .tools/bin that reports the
# pinned version, else builds it from the Go module proxy with the machine's Go. Never downloads a binary.
# Prints the path of the k6 to use on its last line.
set -euo pipefail
# no automatic extension resolution: k6 would try the network to fetch extensions (src/node/k6/binary.ts)
export K6_AUTO_EXTENSION_RESOLUTION=false
K6_VERSION="${OFFERLOAD_K6_VERSION:-v2.2.0}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin_dir="$root/.tools/bin"

reports_version() { [ -x "$1" ] && "$1" version 2>/dev/null | grep -q "^k6 ${K6_VERSION} "; }

for candidate in "$bin_dir/k6" "$(command -v k6 || true)"; do
  if [ -n "$candidate" ] && reports_version "$candidate"; then echo "$candidate"; exit 0; fi
done

if ! command -v go >/dev/null 2>&1; then
  echo "k6 ${K6_VERSION} is missing and Go is not installed to build it: install Go (https://go.dev/doc/install) or put k6 ${K6_VERSION} on PATH." >&2
  exit 3
fi

echo "building k6 ${K6_VERSION} with $(go version | cut -d' ' -f3) into $bin_dir (a few minutes, once)..." >&2
mkdir -p "$bin_dir"
if ! GOBIN="$bin_dir" go install "go.k6.io/k6/v2@${K6_VERSION}" >&2 2>"$root/.tools/k6-install.log"; then
  # Some module proxies serve the version but not the module's version list, which `go install pkg@version`
  # reads for deprecation notices. Building the same pinned version from a throwaway module needs only the
  # version itself; k6's go.mod has no replace directives, so the result is the same binary.
  work="$root/.tools/k6-build"
  rm -rf "$work" && mkdir -p "$work"
  printf 'module offerload.local/k6build\n\ngo 1.22\n\nrequire go.k6.io/k6/v2 %s\n' "$K6_VERSION" >"$work/go.mod"
  printf '//go:build tools\n\npackage tools\n\nimport _ "go.k6.io/k6/v2"\n' >"$work/tools.go"
  if ! (cd "$work" && GOFLAGS=-mod=mod go mod tidy >>"$root/.tools/k6-install.log" 2>&1 \
        && GOFLAGS=-mod=mod go build -trimpath -o "$bin_dir/k6" go.k6.io/k6/v2 >>"$root/.tools/k6-install.log" 2>&1); then
    tail -5 "$root/.tools/k6-install.log" >&2
    echo "could not build k6 ${K6_VERSION} from the Go module proxy (log: .tools/k6-install.log): check GOPROXY, or put k6 ${K6_VERSION} on PATH." >&2
    exit 3
  fi
fi
reports_version "$bin_dir/k6" || { echo "built k6 does not report ${K6_VERSION}: $("$bin_dir/k6" version 2>&1)" >&2; exit 3; }
echo "$bin_dir/k6"
