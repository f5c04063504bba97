#!/usr/bin/env bash
# The main job: set up, then run the tutorial's programs built so far against a real Kafka
# broker and Redis, typing their input into a real netcat, and stop by itself.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec node scripts/demo.mjs "$@"
