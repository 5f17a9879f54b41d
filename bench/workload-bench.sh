#!/usr/bin/env bash
# The generator and the emulator against a fresh platform: starts c18n (embedded) on a free data
# dir, seeds it through the REST API, runs the emulator, then seeds 1,000,000 posts straight into
# the log and waits for the platform to apply them. Prints each tool's own progress and report.
# See bench/README.md.
#   bench/workload-bench.sh [seed-users] [emulated-users] [emulate-seconds] [fast-posts]   (defaults 1000 200 60 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/jdk.sh
./c18n build
DATA=$(mktemp -d /tmp/c18n-workload-XXXX)
PORT=${C18N_BENCH_PORT:-8095}
C18N_DATA_DIR=$DATA C18N_PORT=$PORT C18N_ADMIN_PASSWORD=bench-admin-1 java $JDK_OPTS -Xmx1g -jar target/c18n.jar > "$DATA/platform.log" 2>&1 &
PLATFORM=$!
trap 'kill $PLATFORM 2>/dev/null; wait $PLATFORM 2>/dev/null || true' EXIT
until grep -q "c18n is ready" "$DATA/platform.log"; do sleep 1; done
URL=http://localhost:$PORT/
echo "== seed through the REST API"
java $JDK_OPTS -jar target/c18n.jar seed --url "$URL" --users "${1:-1000}" --seed 9
echo "== emulate"
java $JDK_OPTS -jar target/c18n.jar emulate --url "$URL" --users "${2:-200}" --duration "${3:-60}s" --seed 4 --report "$DATA/emulate-report.json"
echo "== seed --fast"
C18N_DATA_DIR=$DATA java $JDK_OPTS -jar target/c18n.jar seed --fast --url "$URL" --users 1000 --posts "${4:-1000000}" --seed 11
