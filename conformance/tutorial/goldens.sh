#!/usr/bin/env bash
# Runs the tutorial's programs (spark/, line for line the tutorial's PySpark) in real Apache
# Spark 4.2.0 with the input scripted in programs.json, and writes goldens/<program>.out.
#   bash conformance/tutorial/goldens.sh [PROGRAM…]     (or: npm run goldens -- --tutorial [PROGRAM…])
# A PROGRAM filter keeps the programs whose name contains it. Needs a JDK 17 (JAVA_HOME, or
# /usr/lib/jvm's), Maven, nc (OpenBSD netcat) and ss. Not part of `npm test`.
set -euo pipefail
cd "$(dirname "$0")/../.."

# shellcheck source=/dev/null
source "scripts/lib/spark-jvm.sh"
use_jdk17 "tutorial goldens" 1

POM=conformance/tutorial/spark/pom.xml
CP_FILE=conformance/tutorial/spark/target/classpath.txt
if ! build=$(mvn -q -B -f "$POM" compile dependency:build-classpath -Dmdep.outputFile="$(pwd)/$CP_FILE" 2>&1); then
  echo "$build" >&2
  exit 1
fi

export TUTORIAL_JAVA="$JAVA_HOME/bin/java"
export TUTORIAL_CLASSPATH="$(pwd)/conformance/tutorial/spark/target/classes:$(cat "$CP_FILE")"
exec node conformance/tutorial/drive.mjs "$@"
