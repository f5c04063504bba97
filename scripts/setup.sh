#!/usr/bin/env bash
# Everything a fresh machine needs before Sluice runs or is tested: system packages (netcat,
# redis-server, a JDK and Maven for the local Kafka broker, Chromium for the browser test), npm dependencies, the build, and
# the broker's jars from Maven Central. Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'setup: %s\n' "$*" >&2; }

missing=()
command -v nc >/dev/null 2>&1 || missing+=(netcat-openbsd)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# redis-cli (Debian's redis-tools, a dependency of redis-server) joins the local Redis Cluster of the tests.
command -v redis-cli >/dev/null 2>&1 || missing+=(redis-tools)
command -v java >/dev/null 2>&1 || missing+=(default-jdk-headless)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
# openssl makes the local CA of the TLS/SASL tests (scripts/local/lib/tls.sh).
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v ss >/dev/null 2>&1 || missing+=(iproute2)
# Debian's Chromium, for the live page's browser test (driven by playwright-core).
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null 2>&1; then
    log "missing system packages: ${missing[*]} (install them, or run as root)"
    exit 1
  fi
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  log "installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

log "building"
npx tsc -b
node scripts/copy-assets.mjs

log "fetching the Kafka broker's jars (cached)"
bash scripts/local/kafka.sh fetch >&2
log "ready"
