#!/usr/bin/env bash
# Local Redis for Sluice development and tests.
#
# Usage: scripts/local/redis.sh up|down|status|env
#
#   up      if REDIS_URL is set, print it unchanged; else if 127.0.0.1:6379
#           answers PING, use that; else start a private redis-server
#           (daemonized, loopback only, no persistence) on a free port with its
#           dir/pidfile/logfile in <state root>/redis/. Last stdout line:
#           REDIS_URL=redis://127.0.0.1:<port>
#   down    stop the redis-server this script started (never any other one)
#   status  print running/stopped and the URL; exit 0 if usable, 3 if not
#   env     print the REDIS_URL line if a usable redis is known (exit 3 if not)
#
# Environment:
#   REDIS_URL          use this server, start nothing
#   SLUICE_LOCAL_DIR   state root (default <repo>/.local)
#   REDIS_PORT         port for a private server (default: previous, 6379, any free)
#
# redis-server comes from Debian (apt-get install -y redis-server, done here
# automatically when missing and running as root).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
LOCAL_ROOT="${SLUICE_LOCAL_DIR:-$REPO_ROOT/.local}"
case "$LOCAL_ROOT" in
  /*) ;;
  *) LOCAL_ROOT="$PWD/$LOCAL_ROOT" ;;
esac
STATE_DIR="$LOCAL_ROOT/redis"
PID_FILE="$STATE_DIR/redis.pid"
PORT_FILE="$STATE_DIR/port"
ENV_FILE="$STATE_DIR/env"
LOG_FILE="$STATE_DIR/redis.log"
HOST=127.0.0.1
DEFAULT_PORT=6379
LOG_PREFIX=redis.sh
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$SCRIPT_DIR/lib/common.sh"

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
}

# redis_reply HOST PORT: send an inline PING and print the first reply line.
redis_reply() {
  # shellcheck disable=SC2016 # $1/$2 are expanded by the inner shell
  timeout 3 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "PING\r\n" >&3
    IFS= read -r -t 2 line <&3 || exit 1
    printf "%s\n" "${line%$'"'"'\r'"'"'}"
  ' _ "$1" "$2" 2>/dev/null
}

# True if HOST:PORT answers PING with PONG (no auth needed).
redis_pong() {
  local reply
  reply="$(redis_reply "$1" "$2")" || return 1
  [[ "$reply" == "+PONG" ]]
}

own_port() {
  local p=""
  [[ -s "$PORT_FILE" ]] && read -r p <"$PORT_FILE"
  printf '%s\n' "$p"
}

# True if the pid file names a live redis-server that this script started.
own_alive() {
  local pid port
  pid="$(read_pid_file "$PID_FILE")" || return 1
  port="$(own_port)"
  [[ -n "$port" ]] || return 1
  pid_matches "$pid" redis-server ":$port"
}

own_ready() {
  own_alive && redis_pong "$HOST" "$(own_port)"
}

url_line() { printf 'REDIS_URL=redis://%s:%s\n' "$HOST" "$1"; }

# Parse host and port out of REDIS_URL (redis[s]://[user:pass@]host[:port][/db]); for a
# cluster (redis[s]+cluster://host:port,host:port) its first seed node.
url_host_port() {
  local rest="${1#*://}"
  rest="${rest##*@}"
  rest="${rest%%/*}"
  rest="${rest%%\?*}"
  rest="${rest%%,*}"
  local host="${rest%:*}" port="${rest##*:}"
  if [[ "$rest" != *:* ]]; then host="$rest"; port=6379; fi
  host="${host#[}"; host="${host%]}"
  printf '%s %s\n' "$host" "$port"
}

ensure_redis_server() {
  command -v redis-server >/dev/null 2>&1 && return 0
  command -v apt-get >/dev/null 2>&1 || die "redis-server not found and apt-get unavailable"
  [[ "$(id -u)" == 0 ]] || die "redis-server not found; install it: sudo apt-get install -y redis-server"
  log "installing redis-server from Debian"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -q redis-server >&2; then
    apt-get update -q >&2
    apt-get install -y -q redis-server >&2
  fi
  command -v redis-server >/dev/null 2>&1 || die "redis-server still missing after apt-get install"
}

cmd_up() {
  if [[ -n "${REDIS_URL:-}" ]]; then
    echo "REDIS_URL=$REDIS_URL"
    return 0
  fi
  if own_ready; then
    log "private redis already running (pid $(read_pid_file "$PID_FILE"))"
    url_line "$(own_port)" | tee "$ENV_FILE"
    return 0
  fi
  if redis_pong "$HOST" "$DEFAULT_PORT"; then
    log "using the redis already answering on $HOST:$DEFAULT_PORT"
    url_line "$DEFAULT_PORT"
    return 0
  fi

  ensure_redis_server
  # The Debian package may have started a system redis on 6379 just now.
  if redis_pong "$HOST" "$DEFAULT_PORT"; then
    log "using the redis already answering on $HOST:$DEFAULT_PORT"
    url_line "$DEFAULT_PORT"
    return 0
  fi

  mkdir -p "$STATE_DIR"
  if own_alive; then
    log "stale private redis (pid $(read_pid_file "$PID_FILE")) does not answer; restarting it"
    cmd_down
  fi
  rm -f "$PID_FILE" "$ENV_FILE"

  local port
  if [[ -n "${REDIS_PORT:-}" ]]; then
    port_free "$REDIS_PORT" || die "REDIS_PORT=$REDIS_PORT is in use"
    port="$REDIS_PORT"
  else
    port="$(pick_port "" "$(own_port)" "$DEFAULT_PORT")"
  fi
  printf '%s\n' "$port" >"$PORT_FILE"

  log "starting redis-server on $HOST:$port (state in $STATE_DIR)"
  redis-server --bind "$HOST" --port "$port" --daemonize yes \
    --dir "$STATE_DIR" --pidfile "$PID_FILE" --logfile "$LOG_FILE" \
    --save '' --appendonly no --protected-mode yes >&2

  local start=$SECONDS
  until own_ready; do
    if (( SECONDS - start >= 15 )); then
      log "redis-server not answering on $HOST:$port after 15s"
      tail -n 20 "$LOG_FILE" >&2 2>/dev/null || true
      cmd_down
      exit 1
    fi
    sleep 0.2
  done
  url_line "$port" >"$ENV_FILE"
  url_line "$port"
}

cmd_down() {
  if ! own_alive; then
    rm -f "$PID_FILE" "$ENV_FILE"
    log "no redis started by this script is running"
    return 0
  fi
  local pid
  pid="$(read_pid_file "$PID_FILE")"
  log "stopping redis-server (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  wait_pid_exit "$pid" 15
  rm -f "$PID_FILE" "$ENV_FILE"
}

cmd_status() {
  if [[ -n "${REDIS_URL:-}" ]]; then
    local host port reply
    read -r host port < <(url_host_port "$REDIS_URL")
    # Any reply (PONG, or NOAUTH for a password-protected server) means it answers.
    if reply="$(redis_reply "$host" "$port")" && [[ -n "$reply" ]]; then
      echo "running REDIS_URL=$REDIS_URL (external)"
      return 0
    fi
    echo "stopped REDIS_URL=$REDIS_URL (external, not answering)"
    return 3
  fi
  if own_ready; then
    echo "running $(url_line "$(own_port)") pid=$(read_pid_file "$PID_FILE")"
    return 0
  fi
  if redis_pong "$HOST" "$DEFAULT_PORT"; then
    echo "running $(url_line "$DEFAULT_PORT") (not started by this script)"
    return 0
  fi
  echo "stopped"
  return 3
}

cmd_env() {
  if [[ -n "${REDIS_URL:-}" ]]; then
    echo "REDIS_URL=$REDIS_URL"
  elif own_ready; then
    url_line "$(own_port)"
  elif redis_pong "$HOST" "$DEFAULT_PORT"; then
    url_line "$DEFAULT_PORT"
  else
    log "no redis running; run: scripts/local/redis.sh up"
    return 3
  fi
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) shift; cmd_status "$@" ;;
  env) shift; cmd_env "$@" ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
