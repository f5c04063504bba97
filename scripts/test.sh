#!/usr/bin/env bash
# The whole test suite from a clean checkout: set-up, unit tests, then integration and
# end-to-end tests against a real Kafka broker and Redis (KAFKA_BROKERS / REDIS_URL when set;
# else testcontainers where Docker answers; else the local launcher under scripts/local/).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
npx eslint . --max-warnings 0
# The engine's layers and no import circles (.dependency-cruiser.cjs, docs/architecture.md).
npm run --silent lint:deps
mkdir -p .local
report=.local/jest-report.json
rm -f "$report"
status=0
node --experimental-vm-modules node_modules/jest/bin/jest.js --runInBand --json --outputFile="$report" "$@" || status=$?
if [[ -f $report ]]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  ' "$report"
fi
exit "$status"
