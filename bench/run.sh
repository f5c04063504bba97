#!/usr/bin/env bash
# Benchmarks: each prints one JSON line with Sluice's rows/s, a baseline's rows/s measured in
# the same run, and their ratio. Uses KAFKA_BROKERS / REDIS_URL or the local launcher.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh >&2
if [[ -z ${KAFKA_BROKERS:-} ]]; then
  export "$(bash scripts/local/kafka.sh up | tail -1)"
fi
if [[ -z ${REDIS_URL:-} ]]; then
  export "$(bash scripts/local/redis.sh up | tail -1)"
fi
tsx=node_modules/.bin/tsx
"$tsx" bench/operators.bench.ts
"$tsx" bench/pipeline.bench.ts
