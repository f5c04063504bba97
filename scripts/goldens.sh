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

# shellcheck source=/dev/null
source "scripts/lib/spark-jvm.sh"
use_jdk17 "goldens" 1

POM=conformance/spark/pom.xml
CP_FILE=conformance/spark/target/classpath.txt
mvn -q -B -Dstyle.color=never -f "$POM" compile dependency:build-classpath -Dmdep.outputFile="$(pwd)/$CP_FILE" >&2

# Spark on the loopback interface only (and no warning about the host name resolving to it).
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"


exec "$JAVA_HOME/bin/java" \
  "${SPARK_JVM_OPTS[@]}" \
  ${GOLDENS_JAVA_OPTS:-} \
  -cp "conformance/spark/target/classes:$(cat "$CP_FILE")" \
  dev.sluice.goldens.SparkGoldens \
  --cases conformance/cases --goldens conformance/goldens "$@"
