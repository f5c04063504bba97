#!/usr/bin/env bash
# Local single-node KRaft Apache Kafka broker for Sluice development and tests.
# No Docker: the broker runs from Apache Kafka's own jars, fetched from Maven
# Central with Maven (see kafka/pom.xml) and cached in the state dir.
#
# Usage: scripts/local/kafka.sh [--sasl-ssl] up|down [--purge]|status|env
#
#   up      start the broker (idempotent); last stdout line: KAFKA_BROKERS=host:port
#   down    stop it (SIGTERM, then SIGKILL after KAFKA_STOP_TIMEOUT s); --purge
#           also deletes its data dir
#   status  print running/stopped and the address; exit 0 if running, 3 if not
#   env     print the KAFKA_BROKERS line if running (exit 3 if not)
#
#   --sasl-ssl  a second, separate broker whose one client listener is SASL_SSL: its own
#           state dir (kafka-<version>-sasl-ssl) and ports (never 9092/9093 by default),
#           a certificate signed by a local CA (<state root>/tls/ca.pem, made with openssl),
#           SASL mechanisms PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 for the user `sluice`
#           (SCRAM credentials created when the storage is formatted), a generated password
#           kept in <state dir>/secrets.env (mode 600, never printed). `up` and `env` print
#           the SLUICE_KAFKA_* settings and KAFKA_SASL_SECRETS=<that file> before the
#           KAFKA_BROKERS line: eval "$(kafka.sh --sasl-ssl up)"; set -a; . "$KAFKA_SASL_SECRETS"
#
# Environment:
#   KAFKA_VERSION          Apache Kafka version (default 3.9.1; 4.x supported)
#   SLUICE_LOCAL_DIR       state root (default <repo>/.local)
#   KAFKA_PORT             PLAINTEXT port (default: previous one, else 9092, else any free)
#   KAFKA_CONTROLLER_PORT  CONTROLLER port (default: previous one, else 9093, else any free)
#   KAFKA_HEAP_OPTS        JVM heap options (default -Xms64m -Xmx256m)
#   KAFKA_JVM_OPTS         other JVM options (default -XX:+UseSerialGC -XX:TieredStopAtLevel=1)
#   KAFKA_CDS              1 (default): class-data sharing archive for faster starts; 0: none
#   KAFKA_EXTRA_PROPS      lines appended to server.properties
#   KAFKA_LIB_DIR          the broker's classpath dir (default <state dir>/lib); point it at
#                          another state dir's complete lib to share the jars
#   KAFKA_START_TIMEOUT    seconds to wait for readiness (default 90)
#   KAFKA_STOP_TIMEOUT     seconds to wait after SIGTERM (default 30)
#
# All chatter goes to stderr; only the KAFKA_BROKERS / status lines go to stdout.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"

KAFKA_VERSION="${KAFKA_VERSION:-3.9.1}"
KAFKA_MAJOR="${KAFKA_VERSION%%.*}"
LOCAL_ROOT="${SLUICE_LOCAL_DIR:-$REPO_ROOT/.local}"
case "$LOCAL_ROOT" in
  /*) ;;
  *) LOCAL_ROOT="$PWD/$LOCAL_ROOT" ;;
esac
# --sasl-ssl may come anywhere on the command line.
SECURITY=plaintext
ARGS=()
for arg in "$@"; do
  if [[ "$arg" == --sasl-ssl ]]; then SECURITY=sasl-ssl; else ARGS+=("$arg"); fi
done
set -- "${ARGS[@]+"${ARGS[@]}"}"
if [[ "$SECURITY" == sasl-ssl ]]; then
  STATE_DIR="$LOCAL_ROOT/kafka-$KAFKA_VERSION-sasl-ssl"
else
  STATE_DIR="$LOCAL_ROOT/kafka-$KAFKA_VERSION"
fi
TLS_DIR="$LOCAL_ROOT/tls"
SECRETS_FILE="$STATE_DIR/secrets.env"
SASL_USER=sluice
LIB_DIR="${KAFKA_LIB_DIR:-$STATE_DIR/lib}"
DATA_DIR="$STATE_DIR/data"
LOG_DIR="$STATE_DIR/logs"
PID_FILE="$STATE_DIR/kafka.pid"
ENV_FILE="$STATE_DIR/env"
PORTS_FILE="$STATE_DIR/ports"
PROPS_FILE="$STATE_DIR/server.properties"
BROKER_LOG="$STATE_DIR/broker.log"
SERVER_LOG="$LOG_DIR/server.log"
HOST=127.0.0.1
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"
READY_LINE="Kafka Server started"
CDS_ARCHIVE="$STATE_DIR/kafka-cds.jsa"
JAVA_ID_FILE="$STATE_DIR/java-id"
# Tuned for start time on a small dev machine (measurements in the README.md next
# to this script): a small heap, one GC thread, the C1 compiler only.
DEFAULT_HEAP_OPTS="-Xms64m -Xmx256m"
DEFAULT_JVM_OPTS="-XX:+UseSerialGC -XX:TieredStopAtLevel=1"
LOG_PREFIX=kafka.sh
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
. "$SCRIPT_DIR/lib/common.sh"
# shellcheck source-path=SCRIPTDIR source=lib/tls.sh
. "$SCRIPT_DIR/lib/tls.sh"

if [[ "$KAFKA_MAJOR" -ge 4 ]]; then
  MVN_PROFILE=log4j2
  # Keep log4j2 alive until the JVM exits so the broker's own shutdown
  # messages still reach server.log (its hook would stop logging first).
  LOG_OPTS=("-Dlog4j2.configurationFile=$SCRIPT_DIR/kafka/log4j2.properties"
    -Dlog4j2.shutdownHookEnabled=false)
  MIN_JAVA=17
else
  MVN_PROFILE=reload4j
  LOG_OPTS=("-Dlog4j.configuration=file:$SCRIPT_DIR/kafka/log4j.properties")
  MIN_JAVA=11
fi
LOG_OPTS+=("-Dkafka.logs.dir=$LOG_DIR")

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
}

# --- helpers ----------------------------------------------------------------

read_pid() { read_pid_file "$PID_FILE"; }

# True if the pid file names a live process that is our broker (guards
# against a recycled pid).
broker_alive() {
  local pid
  pid="$(read_pid)" || return 1
  pid_matches "$pid" kafka.Kafka "$PROPS_FILE"
}

java_major() {
  local v
  v="$(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')"
  v="${v#1.}"
  printf '%s\n' "${v%%[.+-]*}"
}

# The java binary (resolved) and its major version, remembered per state dir so
# a start does not pay for an extra `java -version` JVM while the JDK is unchanged.
java_id() { readlink -f "$(command -v java)"; }

check_java() {
  command -v java >/dev/null 2>&1 || die "java not found (Kafka $KAFKA_VERSION needs JDK $MIN_JAVA+)"
  local id
  id="$(java_id)"
  if [[ -s "$JAVA_ID_FILE" && "$(head -n 1 "$JAVA_ID_FILE")" == "$id" ]]; then
    return 0
  fi
  # Another JDK: the class-data archive was made by the previous one.
  rm -f "$CDS_ARCHIVE" "$CDS_ARCHIVE.tmp"
  local major
  major="$(java_major)"
  if [[ -n "$major" && "$major" =~ ^[0-9]+$ && "$major" -lt "$MIN_JAVA" ]]; then
    die "java $major found; Kafka $KAFKA_VERSION needs Java $MIN_JAVA+"
  fi
  mkdir -p "$STATE_DIR"
  printf '%s\n' "$id" >"$JAVA_ID_FILE"
}

ensure_lib() {
  if [[ -f "$LIB_DIR/.complete" ]]; then
    return
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (needed once to fetch Kafka $KAFKA_VERSION jars)"
  log "fetching Kafka $KAFKA_VERSION jars from Maven (profile $MVN_PROFILE) into $LIB_DIR"
  local tmp="$STATE_DIR/lib.tmp"
  rm -rf "$tmp"
  mkdir -p "$STATE_DIR"
  # (sed strips the bare colour-reset codes some Maven builds print even with -q -B)
  if ! mvn -B -q -f "$SCRIPT_DIR/kafka/pom.xml" -P "$MVN_PROFILE" \
      -Dkafka.version="$KAFKA_VERSION" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" 2>&1 \
      | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^[[:space:]]*$/d' >&2; then
    rm -rf "$tmp"
    die "maven could not resolve org.apache.kafka:kafka_2.13:$KAFKA_VERSION"
  fi
  ls "$tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || die "no kafka_2.13 jar in $tmp"
  rm -rf "$LIB_DIR" "$CDS_ARCHIVE" "$CDS_ARCHIVE.tmp"
  mv "$tmp" "$LIB_DIR"
  touch "$LIB_DIR/.complete"
}

run_tool() { # main-class args... (short-lived JVM, logs to server.log)
  java -Xms64m -Xmx256m -Djava.awt.headless=true "${LOG_OPTS[@]}" \
    -cp "$LIB_DIR/*" "$@"
}

# choose_ports [fresh]: reuse the previous ports, else 9092/9093, else any free
# ones; with fresh=1 (retry after a bind race) go straight to kernel-chosen ports.
choose_ports() {
  local fresh="${1:-0}" prev_port="" prev_cport=""
  if [[ -s "$PORTS_FILE" && "$fresh" != 1 ]]; then
    read -r prev_port prev_cport <"$PORTS_FILE" || true
  fi
  local want_port=9092 want_cport=9093
  # The SASL_SSL broker leaves the well-known ports to the shared PLAINTEXT one.
  if [[ "$fresh" == 1 || "$SECURITY" == sasl-ssl ]]; then want_port=""; want_cport=""; fi
  if [[ -n "${KAFKA_PORT:-}" ]]; then
    port_free "$KAFKA_PORT" || die "KAFKA_PORT=$KAFKA_PORT is in use"
    PORT="$KAFKA_PORT"
  else
    PORT="$(pick_port "${KAFKA_CONTROLLER_PORT:-}" "$prev_port" "$want_port")"
  fi
  if [[ -n "${KAFKA_CONTROLLER_PORT:-}" ]]; then
    [[ "$KAFKA_CONTROLLER_PORT" != "$PORT" ]] || die "KAFKA_CONTROLLER_PORT equals the broker port"
    port_free "$KAFKA_CONTROLLER_PORT" || die "KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT is in use"
    CPORT="$KAFKA_CONTROLLER_PORT"
  else
    CPORT="$(pick_port "$PORT" "$prev_cport" "$want_cport")"
  fi
  printf '%s %s\n' "$PORT" "$CPORT" >"$PORTS_FILE"
}

# The listener lines: one PLAINTEXT listener, or (--sasl-ssl) one SASL_SSL listener that the
# broker also uses to reach itself (SCRAM-SHA-512 as user admin), with the PLAIN user declared
# in its JAAS line and the SCRAM users stored in the cluster metadata at format time.
listener_props() {
  if [[ "$SECURITY" != sasl-ssl ]]; then
    cat <<EOF
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CPORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
EOF
    return
  fi
  cat <<EOF
listeners=SASL_SSL://$HOST:$PORT,CONTROLLER://$HOST:$CPORT
advertised.listeners=SASL_SSL://$HOST:$PORT
inter.broker.listener.name=SASL_SSL
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$ADMIN_PASSWORD";
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$SASL_USER="$SASL_PASSWORD";
ssl.keystore.type=PEM
ssl.keystore.location=$TLS_DIR/server-keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$TLS_DIR/ca.pem
ssl.client.auth=none
EOF
}

# --sasl-ssl: the CA and the generated passwords, made once per state dir (kept with its data).
ensure_secrets() {
  [[ "$SECURITY" == sasl-ssl ]] || return 0
  ensure_tls_material "$TLS_DIR"
  if [[ ! -s "$SECRETS_FILE" ]]; then
    if [[ -f "$DATA_DIR/meta.properties" ]]; then
      die "$SECRETS_FILE is missing but $DATA_DIR is formatted: run kafka.sh --sasl-ssl down --purge"
    fi
    mkdir -p "$STATE_DIR"
    (umask 077 && printf 'SLUICE_KAFKA_SASL_PASSWORD=%s\nKAFKA_ADMIN_PASSWORD=%s\n' "$(random_secret)" "$(random_secret)" >"$SECRETS_FILE")
  fi
  SASL_PASSWORD="$(sed -n 's/^SLUICE_KAFKA_SASL_PASSWORD=//p' "$SECRETS_FILE")"
  ADMIN_PASSWORD="$(sed -n 's/^KAFKA_ADMIN_PASSWORD=//p' "$SECRETS_FILE")"
  [[ -n "$SASL_PASSWORD" && -n "$ADMIN_PASSWORD" ]] || die "$SECRETS_FILE holds no passwords: run kafka.sh --sasl-ssl down --purge"
}

write_props() {
  # (umask: with --sasl-ssl the file holds passwords)
  (umask 077 && cat >"$PROPS_FILE" <<EOF
# Generated by scripts/local/kafka.sh on every start; edits are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CPORT
$(listener_props)
log.dirs=$DATA_DIR
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
# The log cleaner allocates this buffer at start (default 128 MiB: half the
# broker's RSS on a small heap, and time); 8 MiB is ample for a dev broker.
log.cleaner.dedupe.buffer.size=8388608
${KAFKA_EXTRA_PROPS:-}
EOF
  )
}

format_storage() {
  if [[ -f "$DATA_DIR/meta.properties" ]]; then
    return
  fi
  mkdir -p "$DATA_DIR"
  local cluster_id
  # Same format as `kafka-storage random-uuid` (16 random bytes, URL-safe
  # base64, no padding, not starting with '-') without paying for a JVM.
  local _try
  for _try in 1 2 3 4 5; do
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' || true)"
    [[ "$cluster_id" =~ ^[A-Za-z0-9_][A-Za-z0-9_-]{21}$ ]] && break
  done
  if [[ ! "$cluster_id" =~ ^[A-Za-z0-9_][A-Za-z0-9_-]{21}$ ]]; then
    cluster_id="$(run_tool kafka.tools.StorageTool random-uuid 2>>"$BROKER_LOG" | tail -n 1)"
  fi
  [[ -n "$cluster_id" ]] || die "could not generate a cluster id (see $BROKER_LOG)"
  log "formatting $DATA_DIR (cluster id $cluster_id)"
  local scram=()
  if [[ "$SECURITY" == sasl-ssl ]]; then
    scram=(--add-scram "SCRAM-SHA-512=[name=admin,password=$ADMIN_PASSWORD]"
      --add-scram "SCRAM-SHA-512=[name=$SASL_USER,password=$SASL_PASSWORD]"
      --add-scram "SCRAM-SHA-256=[name=$SASL_USER,password=$SASL_PASSWORD]")
  fi
  run_tool kafka.tools.StorageTool format -t "$cluster_id" -c "$PROPS_FILE" --ignore-formatted "${scram[@]+"${scram[@]}"}" >&2 \
    || die "storage format failed"
}

current_port() {
  local p=""
  [[ -s "$PORTS_FILE" ]] && read -r p _ <"$PORTS_FILE"
  printf '%s\n' "$p"
}

broker_line() { printf 'KAFKA_BROKERS=%s:%s\n' "$HOST" "$(current_port)"; }

# What a client needs besides KAFKA_BROKERS (--sasl-ssl); the password stays in its file.
security_lines() {
  [[ "$SECURITY" == sasl-ssl ]] || return 0
  printf '%s\n' SLUICE_KAFKA_SECURITY_PROTOCOL=SASL_SSL SLUICE_KAFKA_SASL_MECHANISM=SCRAM-SHA-512 \
    "SLUICE_KAFKA_SASL_USERNAME=$SASL_USER" "SLUICE_KAFKA_SSL_TRUSTSTORE_LOCATION=$TLS_DIR/ca.pem" \
    "KAFKA_SASL_SECRETS=$SECRETS_FILE"
}

env_lines() { security_lines; broker_line; }

broker_ready() {
  local port
  port="$(current_port)"
  [[ -n "$port" ]] || return 1
  broker_alive || return 1
  grep -qF "$READY_LINE" "$SERVER_LOG" 2>/dev/null || return 1
  tcp_open "$HOST" "$port"
}

show_logs() {
  log "---- tail of $SERVER_LOG ----"
  tail -n 40 "$SERVER_LOG" >&2 2>/dev/null || true
  log "---- tail of $BROKER_LOG ----"
  tail -n 20 "$BROKER_LOG" >&2 2>/dev/null || true
}

wait_ready() {
  local start=$SECONDS
  while (( SECONDS - start < START_TIMEOUT )); do
    if broker_ready; then
      return 0
    fi
    if ! broker_alive; then
      log "broker process exited during startup"
      show_logs
      rm -f "$PID_FILE"
      return 1
    fi
    sleep 0.1
  done
  log "broker not ready after ${START_TIMEOUT}s; stopping it"
  show_logs
  stop_broker
  return 1
}

# The env file appears whole (written aside, then renamed): readers never see it empty.
publish_env() {
  env_lines >"$ENV_FILE.tmp"
  mv -f "$ENV_FILE.tmp" "$ENV_FILE"
  env_lines
}

# --- subcommands ------------------------------------------------------------

stop_broker() {
  local pid
  if ! broker_alive; then
    rm -f "$PID_FILE" "$ENV_FILE"
    return 0
  fi
  pid="$(read_pid)"
  log "stopping broker (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  wait_pid_exit "$pid" "$STOP_TIMEOUT"
  if [[ -s "$CDS_ARCHIVE.tmp" && "${PID_KILLED:-0}" == 0 ]]; then
    mv -f "$CDS_ARCHIVE.tmp" "$CDS_ARCHIVE"
  fi
  rm -f "$PID_FILE" "$ENV_FILE" "$CDS_ARCHIVE.tmp"
}

# Class-data sharing: the first start of a state dir records the classes the
# broker loads into an archive, which the JVM writes when it exits (`down`);
# later starts map it instead of loading and verifying those classes again.
# It is written aside and kept only if the JVM exited by itself; it is deleted
# when the jars or the JDK change.
cds_opts() {
  [[ "${KAFKA_CDS:-1}" == 1 ]] || return 0
  if [[ -s "$CDS_ARCHIVE" ]]; then
    printf '%s\n' "-XX:SharedArchiveFile=$CDS_ARCHIVE"
  else
    rm -f "$CDS_ARCHIVE.tmp"
    # (the dump lists every class it cannot archive as a warning: not for broker.log)
    printf '%s\n' "-XX:ArchiveClassesAtExit=$CDS_ARCHIVE.tmp" -Xlog:cds=off -Xlog:cds+dynamic=off
  fi
}

launch_broker() {
  # Fresh server.log per start so the readiness line is from this run.
  if [[ -f "$SERVER_LOG" ]]; then mv -f "$SERVER_LOG" "$SERVER_LOG.prev"; fi
  printf '=== %s start Kafka %s on %s:%s (controller %s)\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$KAFKA_VERSION" "$HOST" "$PORT" "$CPORT" >>"$BROKER_LOG"

  local heap_opts jvm_opts
  # shellcheck disable=SC2206 # word splitting of JVM options is intended
  heap_opts=(${KAFKA_HEAP_OPTS:-$DEFAULT_HEAP_OPTS})
  # shellcheck disable=SC2206
  jvm_opts=(${KAFKA_JVM_OPTS:-$DEFAULT_JVM_OPTS} $(cds_opts))
  local launcher=(nohup)
  command -v setsid >/dev/null 2>&1 && launcher+=(setsid)

  log "starting Kafka $KAFKA_VERSION on $HOST:$PORT (controller $CPORT), state in $STATE_DIR"
  rm -f "$PID_FILE"
  # The inner shell writes its own pid and then execs java, so the pid file
  # holds the JVM's pid whether or not setsid had to fork. fd 9 (the lock)
  # is closed so the broker does not hold it.
  # shellcheck disable=SC2016 # $$ and $@ are expanded by the inner shell
  "${launcher[@]}" bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" \
    java "${heap_opts[@]}" "${jvm_opts[@]}" \
    -Djava.awt.headless=true "${LOG_OPTS[@]}" \
    -cp "$LIB_DIR/*" kafka.Kafka "$PROPS_FILE" \
    </dev/null >>"$BROKER_LOG" 2>&1 9>&- &
  disown || true

  local _i
  for _i in $(seq 1 50); do
    [[ -s "$PID_FILE" ]] && break
    sleep 0.1
  done
  [[ -s "$PID_FILE" ]] || die "broker launcher did not write $PID_FILE (see $BROKER_LOG)"
}

# Serialise up/down for this state dir (parallel test runners may race).
take_lock() {
  mkdir -p "$STATE_DIR"
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$STATE_DIR/.lock"
  flock -w 120 9 || die "timed out waiting for $STATE_DIR/.lock"
}

cmd_up() {
  take_lock
  mkdir -p "$LOG_DIR"
  if broker_alive; then
    if broker_ready; then
      log "already running (pid $(read_pid), Kafka $KAFKA_VERSION)"
      publish_env
      return 0
    fi
    log "broker process exists (pid $(read_pid)) but is not ready yet; waiting"
    wait_ready || exit 1
    publish_env
    return 0
  fi
  rm -f "$PID_FILE" "$ENV_FILE"

  check_java
  ensure_lib

  ensure_secrets
  local attempt
  for attempt in 1 2; do
    choose_ports "$((attempt > 1 ? 1 : 0))"
    write_props
    format_storage
    launch_broker
    if wait_ready; then
      local ms=$(($(now_ms) - UP_START_MS))
      log "ready after $((ms / 1000)).$(printf '%03d' $((ms % 1000)))s (pid $(read_pid))"
      publish_env
      return 0
    fi
    # Another process can grab a port between our probe and the JVM's bind;
    # retry once on kernel-chosen ports unless the ports were given explicitly.
    if (( attempt == 1 )) && [[ -z "${KAFKA_PORT:-}${KAFKA_CONTROLLER_PORT:-}" ]] \
        && grep -q 'Address already in use' "$SERVER_LOG" 2>/dev/null; then
      log "a port was taken while starting; retrying on other ports"
      continue
    fi
    exit 1
  done
}

cmd_down() {
  local purge=0
  for arg in "$@"; do
    case "$arg" in
      --purge) purge=1 ;;
      *) die "unknown option for down: $arg" ;;
    esac
  done
  if [[ ! -d "$STATE_DIR" ]]; then
    log "stopped (no state dir for Kafka $KAFKA_VERSION)"
    return 0
  fi
  take_lock
  stop_broker
  if (( purge )); then
    log "purging $DATA_DIR"
    rm -rf "$DATA_DIR" "$PROPS_FILE" "$PORTS_FILE" "$SECRETS_FILE"
  fi
  log "stopped"
}

cmd_status() {
  if broker_ready; then
    echo "running $(broker_line | cut -d= -f2) pid=$(read_pid) version=$KAFKA_VERSION"
    return 0
  fi
  if broker_alive; then
    echo "starting pid=$(read_pid) version=$KAFKA_VERSION"
  else
    echo "stopped version=$KAFKA_VERSION"
  fi
  return 3
}

cmd_env() {
  if broker_ready; then
    env_lines
    return 0
  fi
  log "broker is not running (Kafka $KAFKA_VERSION); run: scripts/local/kafka.sh up"
  return 3
}

UP_START_MS=$(now_ms)
case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) shift; cmd_down "$@" ;;
  status) shift; cmd_status "$@" ;;
  env) shift; cmd_env "$@" ;;
  fetch) shift; check_java; ensure_lib; log "jars ready in $LIB_DIR" ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
