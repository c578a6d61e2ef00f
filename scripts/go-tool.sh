#!/usr/bin/env bash
# go_tool NAME VERSION MODULE PACKAGE VERSION_RE [LDFLAGS]: prints the path of a NAME that reports the pinned
# version (its `NAME version` output matches VERSION_RE), keeping one on PATH or in .tools/bin, else building
# PACKAGE of MODULE@VERSION from the Go module proxy into .tools/bin with the machine's Go. Never downloads a
# binary. Sourced by install-k6.sh and install-influxd.sh: the tools offerload pins are built the one way.
go_tool() {
  local name="$1" version="$2" module="$3" package="$4" version_re="$5" ldflags="${6:-}"
  local root bin_dir log
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  bin_dir="$root/.tools/bin"
  log="$root/.tools/$name-install.log"
  reports_version() { [ -x "$1" ] && "$1" version 2>/dev/null | grep -qE "$version_re"; }

  local candidate
  for candidate in "$bin_dir/$name" "$(command -v "$name" || true)"; do
    if [ -n "$candidate" ] && reports_version "$candidate"; then echo "$candidate"; return 0; fi
  done

  if ! command -v go >/dev/null 2>&1; then
    echo "$name ${version} is missing and Go is not installed to build it: install Go (https://go.dev/doc/install) or put $name ${version} on PATH." >&2
    return 3
  fi

  echo "building $name ${version} with $(go version | cut -d' ' -f3) into $bin_dir (a few minutes, once)..." >&2
  mkdir -p "$bin_dir"
  if ! GOBIN="$bin_dir" go install -trimpath -ldflags "$ldflags" "${package}@${version}" >"$log" 2>&1; then
    # Some module proxies serve the version but not the module's version list, which `go install pkg@version`
    # reads for deprecation notices. Building the same pinned version from a throwaway module needs only the
    # version itself; neither pinned module has replace directives, so the result is the same binary.
    local work="$root/.tools/$name-build"
    rm -rf "$work" && mkdir -p "$work"
    printf 'module offerload.local/%sbuild\n\ngo 1.22\n\nrequire %s %s\n' "$name" "$module" "$version" >"$work/go.mod"
    printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$package" >"$work/tools.go"
    if ! (cd "$work" && GOFLAGS=-mod=mod go mod tidy >>"$log" 2>&1 \
          && GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" -o "$bin_dir/$name" "$package" >>"$log" 2>&1); then
      tail -5 "$log" >&2
      echo "could not build $name ${version} from the Go module proxy (log: .tools/$name-install.log): check GOPROXY, or put $name ${version} on PATH." >&2
      return 3
    fi
  fi
  reports_version "$bin_dir/$name" || { echo "built $name does not report ${version}: $("$bin_dir/$name" version 2>&1)" >&2; return 3; }
  echo "$bin_dir/$name"
}
