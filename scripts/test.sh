#!/usr/bin/env bash
# Every test: type checking, the linter, unit tests, and the integration tests that run the real k6 against the
# simulator with a real InfluxDB, under the machine's Node; then the unit tests again under the current Node LTS
# (scripts/install-node-lts.sh). Installs what is missing first.
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
# The unit tests again under the current Node LTS (the integration tests run one smoke run under it:
# test/integration/node-lts.test.ts). Skipped when the command names its own tests.
rm -f .state/vitest-node-lts.json
if [ $# -eq 0 ]; then
  node_lts="$(bash scripts/install-node-lts.sh)" || exit 3
  echo "unit tests under Node $("$node_lts" --version) ($node_lts)"
  "$node_lts" node_modules/vitest/vitest.mjs run --project unit --reporter=dot --reporter=json \
    --outputFile.json=.state/vitest-node-lts.json || status=1
fi
# One plain closing line that any CI reads: "N passed, N failed".
# Tests skipped (those that need root say so in their names) are listed above it and counted in it.
node -e '
  const fs = require("fs");
  const runs = [[".state/vitest-report.json", process.version], [".state/vitest-node-lts.json", "the Node LTS"]]
    .filter(([f]) => fs.existsSync(f))
    .map(([f, label]) => ({ r: JSON.parse(fs.readFileSync(f, "utf8")), label }));
  const skipped = runs.flatMap(({ r }) => r.testResults.flatMap((f) => f.assertionResults.filter((a) => a.status === "skipped" || a.status === "pending").map((a) => a.fullName)));
  for (const name of skipped) console.log(`skipped: ${name}`);
  const sum = (k) => runs.reduce((n, { r }) => n + r[k], 0);
  const each = runs.map(({ r, label }) => `${r.numPassedTests} under ${label}`).join(", ");
  console.log(`tests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed${skipped.length ? `, ${skipped.length} skipped` : ""} (${each})`);
' 2>/dev/null || true
exit $status
