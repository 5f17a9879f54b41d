#!/usr/bin/env bash
# WebSocket benchmark: c18n and a plain Socket.IO 4 server, same profiles, side by side.
# See bench/README.md.   bench/ws-bench.sh [seconds-per-profile]   (default 10)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/c18n.jar ] || mvn -B -q -DskipTests package
(cd bench/socketio && npm ci --no-audit --no-fund >/dev/null)
ulimit -n 65536 2>/dev/null || true
mvn -B -q -DskipTests -Dskip.frontend=true test-compile exec:java \
    -Dexec.mainClass=org.c18n.bench.WsBenchmark -Dexec.classpathScope=test \
    -Dbench.seconds="${1:-10}" -Dbench.jar=target/c18n.jar -Dbench.socketio=bench/socketio
