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
# Tests skipped (those that need root say so in their names) are listed above it and counted in it.
node -e '
  const r = JSON.parse(require("fs").readFileSync(".state/vitest-report.json", "utf8"));
  const skipped = r.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === "skipped" || a.status === "pending").map((a) => a.fullName));
  for (const name of skipped) console.log(`skipped: ${name}`);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped.length ? `, ${skipped.length} skipped` : ""}`);
' 2>/dev/null || true
exit $status
