#!/usr/bin/env bash
# The fault suite: hostile input and faults against the ingest on the real broker and Redis
# (KAFKA_BROKERS / REDIS_URL when set, else the running local ones, as for the integration tests).
# Heavy cases (millions of lines, a 600 MB file, a 70 s broker outage on a private broker started
# with scripts/local/kafka.sh) take ~11 min. Each case prints its row; the table follows.
# Arguments go to jest (e.g. a name pattern: -t 'SIGTERM').
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

npm run build --silent
mkdir -p .local
export SLUICE_FAULTS_REPORT="$PWD/.local/faults-report.jsonl"
rm -f "$SLUICE_FAULTS_REPORT"
status=0
node --experimental-vm-modules node_modules/jest/bin/jest.js --config test/faults/jest.config.js --runInBand "$@" || status=$?
if [[ -f $SLUICE_FAULTS_REPORT ]]; then
  node -e '
    const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const head = ["case", "rows sent", "rows out", "rows rejected", "peak RSS (MB)", "note"];
    const cells = rows.map((r) => [r.case, String(r.sent), String(r.out), String(r.rejected), (r.peakRss / 1048576).toFixed(0), r.note ?? ""]);
    const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (c) => "| " + c.map((x, i) => x.padEnd(widths[i])).join(" | ") + " |";
    console.log([line(head), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n"));
  ' "$SLUICE_FAULTS_REPORT"
fi
exit "$status"
