#!/usr/bin/env bash
# A local Redis Cluster (3 masters, no replicas) for Sluice development and tests.
#
# Usage: scripts/redis-cluster.sh up|down|status
#
#   up      start three redis-server processes in cluster mode (--cluster-enabled yes,
#           loopback only, no persistence) on ports P, P+1, P+2 (cluster bus: +10000),
#           data in a temp dir, join them with redis-cli --cluster create, and wait
#           until every node reports cluster_state:ok. Last stdout line:
#           REDIS_URL=redis+cluster://127.0.0.1:P,127.0.0.1:P+1,127.0.0.1:P+2
#           If this script's cluster already runs on those ports, prints the line again.
#   down    stop the servers this script started on those ports and remove their dir
#   status  print running/stopped and the URL; exit 0 if the cluster is ok, 3 if not
#
# Environment:
#   REDIS_CLUSTER_PORT  first port P (default 7000)
#   REDIS_CLUSTER_DIR   data dir (default ${TMPDIR:-/tmp}/sluice-redis-cluster-P)
#
# redis-server and redis-cli come from Debian (apt-get install -y redis-server, done
# here automatically when missing and running as root; scripts/setup.sh installs it).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOST=127.0.0.1
FIRST_PORT="${REDIS_CLUSTER_PORT:-7000}"
[[ "$FIRST_PORT" =~ ^[0-9]+$ ]] && (( FIRST_PORT >= 1 && FIRST_PORT <= 55532 )) ||
  { echo "redis-cluster.sh: REDIS_CLUSTER_PORT='$FIRST_PORT' is not a port from 1 to 55532 (the bus uses port+10000)" >&2; exit 2; }
PORTS=("$FIRST_PORT" "$((FIRST_PORT + 1))" "$((FIRST_PORT + 2))")
DATA_DIR="${REDIS_CLUSTER_DIR:-${TMPDIR:-/tmp}/sluice-redis-cluster-$FIRST_PORT}"
# Marks a dir this script made, so `down` never removes anything else.
MARKER=.sluice-redis-cluster
LOG_PREFIX=redis-cluster.sh
# shellcheck source-path=SCRIPTDIR source=local/lib/common.sh
. "$SCRIPT_DIR/local/lib/common.sh"

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
}

url_line() {
  local nodes=() p
  for p in "${PORTS[@]}"; do nodes+=("$HOST:$p"); done
  local IFS=,
  printf 'REDIS_URL=redis+cluster://%s\n' "${nodes[*]}"
}

pid_file() { printf '%s/redis-%s.pid\n' "$DATA_DIR" "$1"; }

# True if the pid file of PORT names a live redis-server this script started.
node_alive() {
  local pid
  pid="$(read_pid_file "$(pid_file "$1")")" || return 1
  pid_matches "$pid" redis-server ":$1"
}

cluster_ok() {
  local p
  for p in "${PORTS[@]}"; do
    node_alive "$p" || return 1
    redis-cli -h "$HOST" -p "$p" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || return 1
  done
}

ensure_redis() {
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1 || die "redis-server/redis-cli not found and apt-get unavailable"
  [[ "$(id -u)" == 0 ]] || die "redis-server not found; install it: sudo apt-get install -y redis-server"
  log "installing redis-server from Debian"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q redis-server redis-tools >&2; then
    apt-get update -q >&2
    apt-get install -y -q redis-server redis-tools >&2
  fi
  command -v redis-cli >/dev/null 2>&1 || die "redis-cli still missing after apt-get install"
}

cmd_up() {
  if cluster_ok; then
    log "cluster already running on ports ${PORTS[*]} (data in $DATA_DIR)"
    url_line
    return 0
  fi
  ensure_redis
  # Left-overs of a run that did not finish: stop them and start clean.
  cmd_down 2>/dev/null || true
  local p
  for p in "${PORTS[@]}"; do
    port_free "$p" || die "port $p is in use; set REDIS_CLUSTER_PORT to another first port"
    port_free "$((p + 10000))" || die "cluster bus port $((p + 10000)) is in use; set REDIS_CLUSTER_PORT to another first port"
  done
  mkdir -p "$DATA_DIR"
  touch "$DATA_DIR/$MARKER"
  for p in "${PORTS[@]}"; do
    mkdir -p "$DATA_DIR/$p"
    redis-server --bind "$HOST" --port "$p" --daemonize yes \
      --cluster-enabled yes --cluster-config-file "$DATA_DIR/$p/nodes.conf" --cluster-node-timeout 5000 \
      --dir "$DATA_DIR/$p" --pidfile "$(pid_file "$p")" --logfile "$DATA_DIR/$p/redis.log" \
      --save '' --appendonly no --protected-mode yes >&2
  done
  local start=$SECONDS
  for p in "${PORTS[@]}"; do
    until node_alive "$p" && redis-cli -h "$HOST" -p "$p" ping 2>/dev/null | grep -q PONG; do
      (( SECONDS - start < 15 )) || { tail -n 20 "$DATA_DIR/$p/redis.log" >&2 2>/dev/null || true; cmd_down; die "redis-server on $p not answering after 15s"; }
      sleep 0.2
    done
  done
  local nodes=()
  for p in "${PORTS[@]}"; do nodes+=("$HOST:$p"); done
  log "creating the cluster of ${nodes[*]} (data in $DATA_DIR)"
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >&2 ||
    { cmd_down; die "redis-cli --cluster create failed"; }
  start=$SECONDS
  until cluster_ok; do
    (( SECONDS - start < 30 )) || { cmd_down; die "cluster not ok after 30s"; }
    sleep 0.2
  done
  url_line
}

cmd_down() {
  local p pid
  for p in "${PORTS[@]}"; do
    node_alive "$p" || continue
    pid="$(read_pid_file "$(pid_file "$p")")"
    log "stopping redis-server on $p (pid $pid)"
    redis-cli -h "$HOST" -p "$p" shutdown nosave >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
    wait_pid_exit "$pid" 15
  done
  if [[ -f "$DATA_DIR/$MARKER" ]]; then
    rm -rf "$DATA_DIR"
  fi
}

cmd_status() {
  if cluster_ok; then
    echo "running $(url_line) (data in $DATA_DIR)"
    return 0
  fi
  echo "stopped"
  return 3
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) shift; cmd_status "$@" ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
