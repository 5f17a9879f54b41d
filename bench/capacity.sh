#!/usr/bin/env bash
# Capacity run (issue 14, item 5): how many emulated people one node holds. Starts c18n as a user would
# (embedded default, fresh data dir, -Xmx1g), writes the accounts, communities and some posts straight into
# the log (`seed --fast`: one bcrypt hash for all, so the run does not measure sign-ups), then runs
# `c18n emulate --ramp`: people arrive a step at a time (spread over the first half of the step; steps in the first 120 s not judged), each with a session the admin mints and their
# socket open, each acting once per --pace (10 s) on average with the default mix, until a step's p99 of
# any action is above 500 ms or its errors above 1 %, two steps in a row. It prints the emulator's live
# lines, one line per step, what was held and where the limit was, and the busiest threads of the
# platform's JVM over the last step (from /proc). See bench/README.md.
#   bench/capacity.sh [accounts] [ramp] [max-seconds]   (defaults 10000, 200/20s, 540)
#   BENCH_JAVA_OPTS adds JVM options to the platform, e.g.
#   BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/capacity.jfr,settings=profile"
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/jdk.sh
[ -f target/c18n.jar ] || mvn -B -q -DskipTests package
ACCOUNTS=${1:-10000}
RAMP=${2:-200/20s}
SECONDS_MAX=${3:-540}
DIR=$(mktemp -d /tmp/c18n-capacity-XXXX)
PORT=${C18N_BENCH_PORT:-8096}
ADMIN_PASSWORD=capacity-admin-password
C18N_DATA_DIR=$DIR/data C18N_PORT=$PORT C18N_HUB_PORT=$((PORT + 2)) C18N_ADMIN_PASSWORD=$ADMIN_PASSWORD \
    java $JDK_OPTS -Xmx1g ${BENCH_JAVA_OPTS:-} -jar target/c18n.jar > "$DIR/platform.log" 2>&1 &
PLATFORM=$!
trap 'kill $PLATFORM 2>/dev/null; wait $PLATFORM 2>/dev/null || true' EXIT
until grep -q "c18n is ready" "$DIR/platform.log"; do
    kill -0 $PLATFORM 2>/dev/null || { echo "the platform exited; see $DIR/platform.log"; exit 1; }
    sleep 1
done
URL=http://localhost:$PORT/
echo "== seed --fast: $ACCOUNTS accounts, $((ACCOUNTS / 20)) communities, 20,000 posts (platform log: $DIR/platform.log)"
C18N_DATA_DIR=$DIR/data java $JDK_OPTS -jar target/c18n.jar seed --fast --url "$URL" --users "$ACCOUNTS" \
    --communities $((ACCOUNTS / 20)) --posts 20000 --seed 11
echo "== emulate --ramp $RAMP"
# The busiest threads of the platform over each step, from /proc (utime + stime, clock ticks).
threads() {
    for t in /proc/$PLATFORM/task/*; do
        echo "$(cat "$t/comm" 2>/dev/null | tr ' ' '_') $(cut -d' ' -f14,15 "$t/stat" 2>/dev/null | tr ' ' '+' | bc 2>/dev/null)"
    done
}
(
    while kill -0 $PLATFORM 2>/dev/null; do
        threads > "$DIR/threads.before"; sleep 20; threads > "$DIR/threads.after"
        cp "$DIR/threads.before" "$DIR/threads.last-before"; cp "$DIR/threads.after" "$DIR/threads.last-after"
    done
) &
SAMPLER=$!
set +e
java $JDK_OPTS -Xmx2g -jar target/c18n.jar emulate --url "$URL" --admin "admin:$ADMIN_PASSWORD" --users "$ACCOUNTS" \
    --ramp "$RAMP" --warm-up 120s --duration "${SECONDS_MAX}s" --concurrency 256 --seed 4 --report "$DIR/capacity-report.json"
status=$?
set -e
kill $SAMPLER 2>/dev/null || true
echo "== busiest threads of the platform over the last 20 s (% of one core)"
awk 'NR==FNR { name[$1] += $2; next } { after[$1] += $2 } END {
        for (t in after) printf "%6.1f %s\n", (after[t] - name[t]) / 20, t }' \
    "$DIR/threads.last-before" "$DIR/threads.last-after" | sort -rn | head -12
echo "report: $DIR/capacity-report.json, platform log: $DIR/platform.log"
exit $status
