#!/usr/bin/env bash
# Speed layer freshness: events written into the log at R/s; time from Kafka's acknowledgement
# to the admin dashboard's count pushed over the socket, and to a reply's notification
# delivered over the socket. The platform runs inside the benchmark's JVM. See bench/README.md.
#   bench/speed-bench.sh [events-per-second[,more rates]] [seconds] [warm-up-seconds]   (defaults 2000, 20, 120; JAVA_OPTS: e.g. JFR)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/jdk.sh
mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
exec java $JDK_OPTS -Xmx2g ${JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
    -Dbench.rate="${1:-2000}" -Dbench.seconds="${2:-20}" -Dbench.warmup="${3:-120}" org.c18n.bench.SpeedBenchmark
