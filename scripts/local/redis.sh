#!/usr/bin/env bash
# Local Redis for Sluice development and tests.
#
# Usage: scripts/local/redis.sh [--tls] up|down|status|env
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
#   --tls   a second, private redis-server that only speaks TLS (certificate signed by the
#           local CA of lib/tls.sh, <state root>/tls/ca.pem; no client certificate asked)
#           with ACL users: `default` and `sluice`, each with a generated password kept in
#           <state root>/redis-tls/secrets.env (mode 600, never printed). Its own state dir
#           and a free port; REDIS_URL in the environment is ignored. `up` and `env` print
#           SLUICE_REDIS_TLS_CA_FILE=, REDIS_SECRETS=<that file> and, last,
#           REDIS_URL=rediss://sluice@127.0.0.1:<port> (the password: SLUICE_REDIS_PASSWORD
#           in the secrets file).
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
TLS=0
ARGS=()
for arg in "$@"; do
  if [[ "$arg" == --tls ]]; then TLS=1; else ARGS+=("$arg"); fi
done
set -- "${ARGS[@]+"${ARGS[@]}"}"
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
# shellcheck source-path=SCRIPTDIR source=lib/tls.sh
. "$SCRIPT_DIR/lib/tls.sh"

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

# --- --tls: a TLS-only redis-server with ACL users ------------------------------------------

TLS_DIR="$LOCAL_ROOT/tls"
TLS_STATE_DIR="$LOCAL_ROOT/redis-tls"
TLS_SECRETS="$TLS_STATE_DIR/secrets.env"
TLS_CONF="$TLS_STATE_DIR/redis.conf"
TLS_PID_FILE="$TLS_STATE_DIR/redis.pid"
TLS_PORT_FILE="$TLS_STATE_DIR/port"
TLS_ENV_FILE="$TLS_STATE_DIR/env"
TLS_LOG_FILE="$TLS_STATE_DIR/redis.log"

tls_port() {
  local p=""
  [[ -s "$TLS_PORT_FILE" ]] && read -r p <"$TLS_PORT_FILE"
  printf '%s\n' "$p"
}

tls_secret() { sed -n "s/^$1=//p" "$TLS_SECRETS" 2>/dev/null; }

tls_alive() {
  local pid port
  pid="$(read_pid_file "$TLS_PID_FILE")" || return 1
  port="$(tls_port)"
  [[ -n "$port" ]] || return 1
  pid_matches "$pid" redis-server ":$port"
}

tls_ready() {
  tls_alive || return 1
  local reply
  reply="$(REDISCLI_AUTH="$(tls_secret SLUICE_REDIS_PASSWORD)" timeout 3 redis-cli --tls --cacert "$TLS_DIR/ca.pem" \
    -h "$HOST" -p "$(tls_port)" --user sluice --no-auth-warning PING 2>/dev/null)" || return 1
  [[ "$reply" == PONG ]]
}

tls_env_lines() {
  printf '%s\n' "SLUICE_REDIS_TLS_CA_FILE=$TLS_DIR/ca.pem" "REDIS_SECRETS=$TLS_SECRETS" \
    "REDIS_URL=rediss://sluice@$HOST:$(tls_port)"
}

tls_up() {
  if tls_ready; then
    log "TLS redis already running (pid $(read_pid_file "$TLS_PID_FILE"))"
    tls_env_lines
    return 0
  fi
  ensure_redis_server
  command -v redis-cli >/dev/null 2>&1 || die "redis-cli not found (Debian's redis-tools)"
  ensure_tls_material "$TLS_DIR"
  mkdir -p "$TLS_STATE_DIR"
  if tls_alive; then tls_down; fi
  rm -f "$TLS_PID_FILE" "$TLS_ENV_FILE"
  if [[ ! -s "$TLS_SECRETS" ]]; then
    (umask 077 && printf 'SLUICE_REDIS_PASSWORD=%s\nREDIS_DEFAULT_PASSWORD=%s\n' "$(random_secret)" "$(random_secret)" >"$TLS_SECRETS")
  fi
  local port
  port="$(pick_port "" "$(tls_port)")"
  printf '%s\n' "$port" >"$TLS_PORT_FILE"
  # The config file holds the passwords (ACL user lines): readable by its owner only.
  (umask 077 && cat >"$TLS_CONF" <<EOF
bind $HOST
port 0
tls-port $port
tls-cert-file $TLS_DIR/server.pem
tls-key-file $TLS_DIR/server.key
tls-ca-cert-file $TLS_DIR/ca.pem
tls-auth-clients no
daemonize yes
dir $TLS_STATE_DIR
pidfile $TLS_PID_FILE
logfile $TLS_LOG_FILE
save ""
appendonly no
user default on >$(tls_secret REDIS_DEFAULT_PASSWORD) ~* &* +@all
user sluice on >$(tls_secret SLUICE_REDIS_PASSWORD) ~* &* +@all
EOF
  )
  log "starting a TLS redis-server on $HOST:$port (state in $TLS_STATE_DIR)"
  redis-server "$TLS_CONF" >&2
  local start=$SECONDS
  until tls_ready; do
    if (( SECONDS - start >= 15 )); then
      log "TLS redis-server not answering on $HOST:$port after 15s"
      tail -n 20 "$TLS_LOG_FILE" >&2 2>/dev/null || true
      tls_down
      exit 1
    fi
    sleep 0.2
  done
  tls_env_lines >"$TLS_ENV_FILE"
  tls_env_lines
}

tls_down() {
  if ! tls_alive; then
    rm -f "$TLS_PID_FILE" "$TLS_ENV_FILE"
    log "no TLS redis started by this script is running"
    return 0
  fi
  local pid
  pid="$(read_pid_file "$TLS_PID_FILE")"
  log "stopping the TLS redis-server (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  wait_pid_exit "$pid" 15
  rm -f "$TLS_PID_FILE" "$TLS_ENV_FILE"
}

tls_status() {
  if tls_ready; then
    echo "running $(tls_env_lines | tail -n 1) pid=$(read_pid_file "$TLS_PID_FILE")"
    return 0
  fi
  echo "stopped"
  return 3
}

tls_env() {
  if tls_ready; then
    tls_env_lines
    return 0
  fi
  log "no TLS redis running; run: scripts/local/redis.sh --tls up"
  return 3
}

if (( TLS )); then
  case "${1:-}" in
    up) tls_up ;;
    down) tls_down ;;
    status) tls_status ;;
    env) tls_env ;;
    -h|--help|help) usage ;;
    *) usage; exit 2 ;;
  esac
  exit
fi

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) shift; cmd_status "$@" ;;
  env) shift; cmd_env "$@" ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
