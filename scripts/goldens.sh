#!/usr/bin/env bash
# Runs the conformance cases in real Apache Spark 4.2.0 and writes conformance/goldens/.
#   npm run goldens [-- [--timeout SECONDS] FILTER…]
# A filter keeps the cases whose "group/name" contains it. GOLDENS_JAVA_OPTS adds JVM options
# (-Dgoldens.debug=true prints a failed query's whole cause chain to stderr).
# Needs a JDK 17 (JAVA_HOME, or /usr/lib/jvm's) and Maven. Not part of `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
# The tutorial's programs instead: --tutorial [PROGRAM…] (conformance/tutorial/README.md).
if [[ "${1:-}" == "--tutorial" ]]; then shift; exec bash conformance/tutorial/goldens.sh "$@"; fi

java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" || "$(java_major "$JAVA_HOME")" != 17 ]]; then
  JAVA_HOME=""
  for dir in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/temurin-17-* /usr/lib/jvm/*17*; do
    if [[ -x "$dir/bin/java" && "$(java_major "$dir")" == 17 ]]; then JAVA_HOME="$dir"; break; fi
  done
  [[ -n "$JAVA_HOME" ]] || { echo "goldens: no JDK 17 found (set JAVA_HOME)" >&2; exit 1; }
fi
export JAVA_HOME

POM=conformance/spark/pom.xml
CP_FILE=conformance/spark/target/classpath.txt
mvn -q -B -Dstyle.color=never -f "$POM" compile dependency:build-classpath -Dmdep.outputFile="$(pwd)/$CP_FILE" >&2

# Spark on the loopback interface only (and no warning about the host name resolving to it).
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
  ${GOLDENS_JAVA_OPTS:-} \
  -cp "conformance/spark/target/classes:$(cat "$CP_FILE")" \
  dev.sluice.goldens.SparkGoldens \
  --cases conformance/cases --goldens conformance/goldens "$@"
