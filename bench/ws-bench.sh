#!/usr/bin/env bash
# WebSocket benchmark, the way chat is used: c18n and a plain Socket.IO 4 server, same run, same shape.
# See bench/README.md.
#   bench/ws-bench.sh [seconds-per-rate] [warm-up-seconds]      (defaults 15 and 60)
# Environment: WS_BENCH_USERS (1000: rooms of 100), WS_BENCH_IDLE (10000 idle connections for
# memory), WS_BENCH_HOLD (50000, capped by the open-files limit), WS_BENCH_ONLY (c18n|socketio),
# WS_BENCH_JAR (the c18n jar, default target/c18n.jar: e.g. an older build for a before/after),
# BENCH_JAVA_OPTS (extra JVM options for c18n), WS_BENCH_JFR (file: a JFR recording of c18n's 100 msg/s run;
# JFR is then on from the start, so that its instrumentation is compiled during the warm-up, not in the run).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/jdk.sh
jar=${WS_BENCH_JAR:-target/c18n.jar}
[ -f "$jar" ] || mvn -B -q -DskipTests -Dskip.frontend=true package
java_opts=${BENCH_JAVA_OPTS:-}
[ -z "${WS_BENCH_JFR:-}" ] || java_opts="$java_opts -XX:StartFlightRecording:settings=profile"
(cd bench/socketio && npm ci --no-audit --no-fund >/dev/null)
# Every socket is a file descriptor, on the server and on the client: as many as this machine allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
limit=$(ulimit -n)
hold=${WS_BENCH_HOLD:-50000}
if [ "$limit" != unlimited ] && [ "$hold" -gt $((limit - 2500)) ]; then
    echo "open-files limit $limit (hard): holding at most $((limit - 2500)) connections instead of $hold (the server needs some for itself)" >&2
    hold=$((limit - 2500))
fi
mvn -B -q -o -DskipTests -Dskip.frontend=true test-compile exec:java \
    -Dexec.mainClass=org.c18n.bench.WsBenchmark -Dexec.classpathScope=test \
    -Dbench.seconds="${1:-15}" -Dbench.warmup="${2:-60}" -Dbench.jar="$jar" -Dbench.socketio=bench/socketio \
    -Dbench.users="${WS_BENCH_USERS:-1000}" -Dbench.idle="${WS_BENCH_IDLE:-10000}" -Dbench.hold="$hold" \
    -Dbench.only="${WS_BENCH_ONLY:-}" -Dbench.javaOpts="$java_opts" -Dbench.jfr="${WS_BENCH_JFR:-}"
