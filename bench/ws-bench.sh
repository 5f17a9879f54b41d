#!/usr/bin/env bash
# WebSocket benchmark, the way chat is used: c18n and a plain Socket.IO 4 server, same run, same shape.
# See bench/README.md.
#   bench/ws-bench.sh [seconds-per-rate] [warm-up-seconds]      (defaults 15 and 60)
# Environment: WS_BENCH_USERS (1000: rooms of 100), WS_BENCH_IDLE (10000 idle connections for
# memory), WS_BENCH_HOLD (50000, capped by the open-files limit), WS_BENCH_ONLY (c18n|socketio),
# BENCH_JAVA_OPTS (extra JVM options for c18n), WS_BENCH_JFR (file: a JFR recording of c18n's 100 msg/s run).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/c18n.jar ] || mvn -B -q -DskipTests -Dskip.frontend=true package
(cd bench/socketio && npm ci --no-audit --no-fund >/dev/null)
# Every socket is a file descriptor, on the server and on the client: as many as this machine allows.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
limit=$(ulimit -n)
hold=${WS_BENCH_HOLD:-50000}
if [ "$limit" != unlimited ] && [ "$hold" -gt $((limit - 1000)) ]; then
    echo "open-files limit $limit (hard): holding at most $((limit - 1000)) connections instead of $hold" >&2
    hold=$((limit - 1000))
fi
mvn -B -q -o -DskipTests -Dskip.frontend=true test-compile exec:java \
    -Dexec.mainClass=org.c18n.bench.WsBenchmark -Dexec.classpathScope=test \
    -Dbench.seconds="${1:-15}" -Dbench.warmup="${2:-60}" -Dbench.jar=target/c18n.jar -Dbench.socketio=bench/socketio \
    -Dbench.users="${WS_BENCH_USERS:-1000}" -Dbench.idle="${WS_BENCH_IDLE:-10000}" -Dbench.hold="$hold" \
    -Dbench.only="${WS_BENCH_ONLY:-}" -Dbench.javaOpts="${BENCH_JAVA_OPTS:-}" -Dbench.jfr="${WS_BENCH_JFR:-}"
