#!/usr/bin/env bash
# Benchmarks: each prints one JSON line. start: `sluice run` start-up times (cold, warm, to an
# analysis error) on its own local stack, which it stops. operators, pipeline: Sluice's rows/s,
# a baseline's rows/s measured in the same run, and their ratio; the pipeline uses
# KAFKA_BROKERS / REDIS_URL or the local launcher, and stops what it started. backlog: a
# 5,000,000-row backlog through the processor service, its peak RSS against 300 MB and a check
# that nothing was lost (several minutes). Each bench's output is shown as it runs and kept; at
# the end bench/summary.ts prints one table of them all and one JSON line combining their
# results. A bench that fails does not stop the others; the suite then exits 1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh >&2
tsx=node_modules/.bin/tsx
out="$(mktemp -d "${TMPDIR:-/tmp}/sluice-bench.XXXXXX")"
names=()
failed=0

started=()
finish() {
  local s
  for s in ${started[@]+"${started[@]}"}; do bash "scripts/local/$s" down >&2 || true; done
  rm -rf "$out"
}
trap finish EXIT

# bench NAME: runs bench/NAME.bench.ts, its stdout shown and kept in $out/NAME.out, its exit
# status in $out/NAME.exit.
bench() {
  local name=$1 status=0
  names+=("$name")
  "$tsx" "bench/$name.bench.ts" | tee "$out/$name.out" || status=$?
  echo "$status" >"$out/$name.exit"
  if ((status != 0)); then
    echo "bench: $name exited $status" >&2
    failed=1
  fi
}

bench start
bench operators
bench window-sum

if [[ -z ${KAFKA_BROKERS:-} ]]; then
  bash scripts/local/kafka.sh status >/dev/null 2>&1 || started+=(kafka.sh)
  export "$(bash scripts/local/kafka.sh up | tail -1)"
fi
if [[ -z ${REDIS_URL:-} ]]; then
  bash scripts/local/redis.sh status >/dev/null 2>&1 || started+=(redis.sh)
  export "$(bash scripts/local/redis.sh up | tail -1)"
fi
bench pipeline
bench scale-out
bench spark-ab
bench latency
bench backlog

echo
files=()
for name in "${names[@]}"; do files+=("$out/$name.out"); done
"$tsx" bench/summary.ts "${files[@]}" || failed=1
exit "$failed"
