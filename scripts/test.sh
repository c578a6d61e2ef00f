#!/usr/bin/env bash
# Every test: type checking, the linter, unit tests, and the integration tests that run the real k6 against the
# simulator with a real InfluxDB. Installs what is missing first.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh --tests || exit $?
mkdir -p .state
echo "typecheck: tsc --noEmit"
npx tsc -p tsconfig.json --noEmit || exit 1
echo "lint: biome check (formatting and lint rules, biome.json)"
npx biome check --error-on-warnings || exit 1
npx vitest run --reporter=default --reporter=json --outputFile.json=.state/vitest-report.json "$@"
status=$?
# One plain closing line that any CI reads: "N passed, N failed".
node -e '
  const r = JSON.parse(require("fs").readFileSync(".state/vitest-report.json", "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
' 2>/dev/null || true
exit $status
