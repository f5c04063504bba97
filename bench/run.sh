#!/usr/bin/env bash
# Benchmarks: each prints one JSON line. start: `sluice run` start-up times (cold, warm, to an
# analysis error) on its own local stack, which it stops. operators, pipeline: Sluice's rows/s,
# a baseline's rows/s measured in the same run, and their ratio; the pipeline uses
# KAFKA_BROKERS / REDIS_URL or the local launcher, and stops what it started. backlog: a
# 5,000,000-row backlog through the processor service, its peak RSS against 300 MB and a check
# that nothing was lost (several minutes).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh >&2
tsx=node_modules/.bin/tsx
"$tsx" bench/start.bench.ts
"$tsx" bench/operators.bench.ts
"$tsx" bench/window-sum.bench.ts

started=()
stop_started() {
  local s
  for s in ${started[@]+"${started[@]}"}; do bash "scripts/local/$s" down >&2 || true; done
}
trap stop_started EXIT
if [[ -z ${KAFKA_BROKERS:-} ]]; then
  bash scripts/local/kafka.sh status >/dev/null 2>&1 || started+=(kafka.sh)
  export "$(bash scripts/local/kafka.sh up | tail -1)"
fi
if [[ -z ${REDIS_URL:-} ]]; then
  bash scripts/local/redis.sh status >/dev/null 2>&1 || started+=(redis.sh)
  export "$(bash scripts/local/redis.sh up | tail -1)"
fi
"$tsx" bench/pipeline.bench.ts
"$tsx" bench/scale-out.bench.ts
"$tsx" bench/spark-ab.bench.ts
"$tsx" bench/latency.bench.ts
"$tsx" bench/backlog.bench.ts
