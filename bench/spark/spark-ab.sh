#!/usr/bin/env bash
# Builds and runs SparkAB (real Spark 4.2.0, local[2]) with the JVM setup of scripts/goldens.sh:
#   bash bench/spark/spark-ab.sh --brokers B --workload A|B --run IN:OUT [--run IN:OUT …]
#   bash bench/spark/spark-ab.sh --build      (only builds, so that nothing timed waits for Maven)
# Exits 3 with one line on stderr when there is no JDK 17 or no Maven, so the caller can skip Spark.
set -euo pipefail
cd "$(dirname "$0")"

# shellcheck source=/dev/null
source "../../scripts/lib/spark-jvm.sh"
use_jdk17 "spark-ab" 3
command -v mvn >/dev/null || { echo "spark-ab: no Maven (mvn) on PATH" >&2; exit 3; }

CP_FILE=target/classpath.txt
if [[ ! -s "$CP_FILE" || pom.xml -nt "$CP_FILE" || -n "$(find src -newer "$CP_FILE" -print -quit)" ]]; then
  mvn -q -B -Dstyle.color=never compile dependency:build-classpath -Dmdep.outputFile="$(pwd)/$CP_FILE" >&2
fi
[[ "${1:-}" == "--build" ]] && exit 0

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"

exec "$JAVA_HOME/bin/java" \
  "${SPARK_JVM_OPTS[@]}" \
  ${SPARK_BENCH_JAVA_OPTS:-} \
  -cp "target/classes:$(cat "$CP_FILE")" \
  dev.sluice.bench.SparkAB "$@"
