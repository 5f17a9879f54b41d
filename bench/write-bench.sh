#!/usr/bin/env bash
# Write benchmark: startup time, idle RSS, acknowledged writes/s with read-your-writes and
# latency percentiles for 1, 16 and 64 clients. See bench/README.md.
#   bench/write-bench.sh [seconds-per-run] [warm-up-seconds-per-kind]   (defaults 10, 40)
#   BENCH_JAR=/tmp/other.jar bench/write-bench.sh   measures another build (a "before").
#   BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/c18n.jfr,settings=profile" bench/write-bench.sh
#   records a JFR profile of the platform during the run; BENCH_REPLAY_JAVA_OPTS the same for the replay.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/jdk.sh
[ -f target/c18n.jar ] || mvn -B -q -DskipTests package
mvn -B -q -DskipTests -Dskip.frontend=true test-compile exec:java \
    -Dexec.mainClass=org.c18n.bench.WriteBenchmark -Dexec.classpathScope=test \
    -Dbench.seconds="${1:-10}" -Dbench.warmup="${2:-40}" -Dbench.jar="${BENCH_JAR:-target/c18n.jar}" -Dbench.javaOpts="${BENCH_JAVA_OPTS:-}" \
    -Dbench.replayJavaOpts="${BENCH_REPLAY_JAVA_OPTS:-}"
