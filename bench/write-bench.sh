#!/usr/bin/env bash
# Write benchmark: startup time, idle RSS, acknowledged writes/s with read-your-writes and
# latency percentiles for 1, 16 and 64 clients. See bench/README.md.
#   bench/write-bench.sh [seconds-per-run]   (default 15)
#   BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/c18n.jfr,settings=profile" bench/write-bench.sh
#   records a JFR profile of the platform during the run.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/c18n.jar ] || mvn -B -q -DskipTests package
mvn -B -q -DskipTests -Dskip.frontend=true test-compile exec:java \
    -Dexec.mainClass=org.c18n.bench.WriteBenchmark -Dexec.classpathScope=test \
    -Dbench.seconds="${1:-15}" -Dbench.jar=target/c18n.jar -Dbench.javaOpts="${BENCH_JAVA_OPTS:-}"
