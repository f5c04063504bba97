#!/usr/bin/env bash
# Runs the tutorial's programs (spark/, line for line the tutorial's PySpark) in real Apache
# Spark 4.2.0 with the input scripted in programs.json, and writes goldens/<program>.out.
#   bash conformance/tutorial/goldens.sh [PROGRAM…]     (or: npm run goldens -- --tutorial [PROGRAM…])
# A PROGRAM filter keeps the programs whose name contains it. Needs a JDK 17 (JAVA_HOME, or
# /usr/lib/jvm's), Maven, nc (OpenBSD netcat) and ss. Not part of `npm test`.
set -euo pipefail
cd "$(dirname "$0")/../.."

java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" || "$(java_major "$JAVA_HOME")" != 17 ]]; then
  JAVA_HOME=""
  for dir in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/temurin-17-* /usr/lib/jvm/*17*; do
    if [[ -x "$dir/bin/java" && "$(java_major "$dir")" == 17 ]]; then JAVA_HOME="$dir"; break; fi
  done
  [[ -n "$JAVA_HOME" ]] || { echo "tutorial goldens: no JDK 17 found (set JAVA_HOME)" >&2; exit 1; }
fi
export JAVA_HOME

POM=conformance/tutorial/spark/pom.xml
CP_FILE=conformance/tutorial/spark/target/classpath.txt
if ! build=$(mvn -q -B -f "$POM" compile dependency:build-classpath -Dmdep.outputFile="$(pwd)/$CP_FILE" 2>&1); then
  echo "$build" >&2
  exit 1
fi

export TUTORIAL_JAVA="$JAVA_HOME/bin/java"
export TUTORIAL_CLASSPATH="$(pwd)/conformance/tutorial/spark/target/classes:$(cat "$CP_FILE")"
exec node conformance/tutorial/drive.mjs "$@"
