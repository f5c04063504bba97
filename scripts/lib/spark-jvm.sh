# Sourced by the scripts that run real Spark 4.2.0 (goldens, tutorial goldens, the Spark bench):
# the JDK 17 they need and the JVM options Spark's launcher passes on Java 17.

java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }

# use_jdk17 NAME CODE: exports JAVA_HOME as a JDK 17 (JAVA_HOME's, or /usr/lib/jvm's), or prints
# "NAME: no JDK 17 found" and exits with CODE.
use_jdk17() {
  if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" || "$(java_major "$JAVA_HOME")" != 17 ]]; then
    JAVA_HOME=""
    for dir in /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/temurin-17-* /usr/lib/jvm/*17*; do
      if [[ -x "$dir/bin/java" && "$(java_major "$dir")" == 17 ]]; then JAVA_HOME="$dir"; break; fi
    done
    [[ -n "$JAVA_HOME" ]] || { echo "$1: no JDK 17 found (set JAVA_HOME)" >&2; exit "$2"; }
  fi
  export JAVA_HOME
}

# SPARK_JVM_OPTS: the --add-opens Spark's launcher passes on Java 17 (JavaModuleOptions) and the
# settings every Spark run here shares (UTC, UTF-8).
SPARK_JVM_OPTS=(-XX:+IgnoreUnrecognizedVMOptions)
for pkg in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util \
           java.util.concurrent java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs \
           sun.security.action sun.util.calendar; do
  SPARK_JVM_OPTS+=("--add-opens=java.base/$pkg=ALL-UNNAMED")
done
SPARK_JVM_OPTS+=(-Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true -Duser.timezone=UTC -Dfile.encoding=UTF-8)
