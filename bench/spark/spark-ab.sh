#!/usr/bin/env bash
# Builds and runs SparkAB (real Spark 4.2.0, local[2]) with the JVM setup of scripts/goldens.sh:
#   bash bench/spark/spark-ab.sh --brokers B --workload A|B --run IN:OUT [--run IN:OUT …]
#   bash bench/spark/spark-ab.sh --build      (only builds, so that nothing timed waits for Maven)
# Exits 3 with one line on stderr when there is no JDK 17 or no Maven, so the caller can skip Spark.
set -euo pipefail
cd "$(dirname "$0")"

java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" || "$(java_major "$JAVA_HOME")" != 17 ]]; then
  JAVA_HOME=""
  for dir in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/temurin-17-* /usr/lib/jvm/*17*; do
    if [[ -x "$dir/bin/java" && "$(java_major "$dir")" == 17 ]]; then JAVA_HOME="$dir"; break; fi
  done
  [[ -n "$JAVA_HOME" ]] || { echo "spark-ab: no JDK 17 found (set JAVA_HOME)" >&2; exit 3; }
fi
export JAVA_HOME
command -v mvn >/dev/null || { echo "spark-ab: no Maven (mvn) on PATH" >&2; exit 3; }

CP_FILE=target/classpath.txt
if [[ ! -s "$CP_FILE" || pom.xml -nt "$CP_FILE" || -n "$(find src -newer "$CP_FILE" -print -quit)" ]]; then
  mvn -q -B -Dstyle.color=never compile dependency:build-classpath -Dmdep.outputFile="$(pwd)/$CP_FILE" >&2
fi
[[ "${1:-}" == "--build" ]] && exit 0

export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
# The --add-opens Spark's launcher passes on Java 17 (JavaModuleOptions).
OPENS=()
for pkg in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
           java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
           sun.security.action sun.util.calendar; do
  OPENS+=("--add-opens=java.base/$pkg=ALL-UNNAMED")
done

exec "$JAVA_HOME/bin/java" \
  -XX:+IgnoreUnrecognizedVMOptions \
  "${OPENS[@]}" \
  -Djdk.reflect.useDirectMethodHandle=false \
  -Dio.netty.tryReflectionSetAccessible=true \
  -Duser.timezone=UTC \
  -Dfile.encoding=UTF-8 \
  ${SPARK_BENCH_JAVA_OPTS:-} \
  -cp "target/classes:$(cat "$CP_FILE")" \
  dev.sluice.bench.SparkAB "$@"
