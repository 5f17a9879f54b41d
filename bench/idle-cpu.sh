#!/usr/bin/env bash
# Idle cost of an embedded node: starts target/c18n.jar on a fresh data dir, waits until it is
# ready, lets it settle, then measures for N seconds (default 60) the CPU of the JVM and of every
# PostgreSQL process it started, and prints the busiest JVM threads.
#   bench/idle-cpu.sh [seconds] [settle-seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/jdk.sh
window=${1:-60}
settle=${2:-30}
[ -f target/c18n.jar ] || ./c18n build
data=$(mktemp -d /tmp/c18n-idle.XXXXXX)
port=$(( 20000 + RANDOM % 20000 ))
log="$data/platform.log"
C18N_DATA_DIR="$data/data" C18N_PORT=$port C18N_MANAGEMENT_PORT=$((port + 1)) C18N_ADMIN_PASSWORD=idle-bench-password \
    java $JDK_OPTS -Xmx1g -jar target/c18n.jar >"$log" 2>&1 &
jvm=$!
trap 'status=$?; kill $jvm 2>/dev/null; wait $jvm 2>/dev/null; rm -rf "$data"; exit $status' EXIT
printf 'starting the platform (pid %s, port %s)' "$jvm" "$port"
until grep -q "c18n is ready" "$log"; do
    kill -0 $jvm 2>/dev/null || { echo; echo "the platform did not start:"; tail -30 "$log"; exit 1; }
    printf .; sleep 1
done
echo " ready; settling for ${settle} s"
sleep "$settle"

hz=$(getconf CLK_TCK)
ticks() { # utime+stime of one process, in clock ticks
    awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0
}
postgres_pids() { # the postmaster (first line of its pid file) and its children
    local pidfile main
    pidfile=$(find "$data/data" -name postmaster.pid 2>/dev/null | head -1)
    [ -n "$pidfile" ] || return 0
    main=$(head -1 "$pidfile")
    echo "$main"; pgrep -P "$main" || true
}
thread_ticks() { # "<ticks> <tid> <name>" for every JVM thread
    for task in /proc/$jvm/task/*; do
        name=$(cat "$task/comm" 2>/dev/null) || continue
        stat=$(cat "$task/stat" 2>/dev/null) || continue
        rest=${stat#*) }
        set -- $rest
        echo "$(( ${12} + ${13} )) ${task##*/} $name"
    done
}

jvm_before=$(ticks $jvm)
pg_before=0; for p in $(postgres_pids); do pg_before=$(( pg_before + $(ticks "$p") )); done
thread_ticks | sort -k2 > "$data/threads.before"
echo "measuring for ${window} s..."
sleep "$window"
jvm_after=$(ticks $jvm)
pg_after=0; for p in $(postgres_pids); do pg_after=$(( pg_after + $(ticks "$p") )); done
thread_ticks | sort -k2 > "$data/threads.after"

pct() { awk -v t="$1" -v hz="$hz" -v w="$window" 'BEGIN { printf "%.1f", 100 * t / hz / w }'; }
echo
echo "c18n idle node, ${window} s after ${settle} s of settling (% of one core)"
echo "JVM:        $(pct $((jvm_after - jvm_before))) %"
echo "PostgreSQL: $(pct $((pg_after - pg_before))) % (processes that lived through the window; short-lived ones are not counted)"
echo "both:       $(pct $((jvm_after - jvm_before + pg_after - pg_before))) %"
echo
echo "busiest JVM threads:"
join -1 2 -2 2 -o 1.1,2.1,2.3 "$data/threads.before" "$data/threads.after" \
    | awk -v hz="$hz" -v w="$window" '{ d = $2 - $1; if (d > 0) { n[$3] += d } } END { for (k in n) printf "%6.2f %%  %s\n", 100 * n[k] / hz / w, k }' \
    | sort -rn | head -15
