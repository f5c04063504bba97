# Shared helpers for scripts/local/*.sh (sourced, not executed).
# Callers set LOG_PREFIX (e.g. "kafka.sh") and HOST (normally 127.0.0.1).
# shellcheck shell=bash

log() { printf '%s: %s\n' "${LOG_PREFIX:-local}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

now_ms() {
  if [[ -n "${EPOCHREALTIME:-}" ]]; then
    local t="${EPOCHREALTIME//[.,]/}"
    echo $((t / 1000))
  else
    echo $((SECONDS * 1000))
  fi
}

# read_pid_file FILE: print the numeric pid stored in FILE (fails if none).
read_pid_file() {
  [[ -s "$1" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$1")"
  [[ -n "$pid" ]] || return 1
  printf '%s\n' "$pid"
}

# pid_matches PID PATTERN...: PID is alive and its command line contains
# every PATTERN (guards against a recycled pid).
pid_matches() {
  local pid="$1" args pat
  shift
  kill -0 "$pid" 2>/dev/null || return 1
  args="$(ps -ww -o args= -p "$pid" 2>/dev/null || true)"
  for pat in "$@"; do
    [[ "$args" == *"$pat"* ]] || return 1
  done
}

# wait_pid_exit PID TIMEOUT_S: SIGTERM already sent; wait, then SIGKILL.
# Sets PID_KILLED=1 if it had to send SIGKILL, else 0.
wait_pid_exit() {
  local pid="$1" timeout="$2" start=$SECONDS
  PID_KILLED=0
  while kill -0 "$pid" 2>/dev/null && (( SECONDS - start < timeout )); do
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    PID_KILLED=1
    log "pid $pid did not exit within ${timeout}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
}

tcp_open() { # host port
  # shellcheck disable=SC2016 # $1/$2 are expanded by the inner shell
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# Can we bind HOST:port right now? Uses node or python3 when present (a real
# bind test); falls back to "nothing accepts connections there".
port_free() {
  local port="$1"
  if command -v node >/dev/null 2>&1; then
    node -e '
      const s = require("net").createServer();
      s.once("error", () => process.exit(1));
      s.listen(Number(process.argv[1]), process.argv[2], () => s.close(() => process.exit(0)));
    ' "$port" "$HOST" 2>/dev/null
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[2], int(sys.argv[1])))
' "$port" "$HOST" 2>/dev/null
  else
    if tcp_open "$HOST" "$port"; then return 1; fi
    return 0
  fi
}

# Print a free ephemeral port chosen by the kernel (or a random probe).
any_free_port() {
  local port
  if command -v node >/dev/null 2>&1; then
    node -e '
      const s = require("net").createServer();
      s.listen(0, process.argv[1], () => { const p = s.address().port; s.close(() => console.log(p)); });
    ' "$HOST"
    return
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c '
import socket, sys
s = socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1])
' "$HOST"
    return
  fi
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 30000))
    if port_free "$port"; then echo "$port"; return; fi
  done
  die "could not find a free port"
}

# pick_port PREFERRED... : first free candidate (skipping $EXCLUDE), else any free port.
pick_port() {
  local exclude="$1"; shift
  local p
  for p in "$@"; do
    [[ -n "$p" && "$p" != "$exclude" ]] || continue
    if port_free "$p"; then echo "$p"; return; fi
  done
  for _ in 1 2 3 4 5; do
    p="$(any_free_port)"
    [[ "$p" != "$exclude" ]] && { echo "$p"; return; }
  done
  die "could not find a free port"
}

