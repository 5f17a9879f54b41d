#!/usr/bin/env bash
# Posts benchmark: post creation with read-your-writes (64 clients), feed reads over a community of
# 100,000 posts and a home feed over 50 communities, upload throughput of 5 MB images.
# See bench/README.md.
#   bench/post-bench.sh [seconds-per-run] [posts-in-the-big-community]   (defaults 15, 100000)
#   Feeds are read at fixed rates, those of issue 14's figures: BENCH_COMMUNITY_RATE (406 scrolls/s, ~1,000
#   pages/s) and BENCH_HOME_RATE (133 scrolls/s); 0 = each client as fast as it is answered.
#   BENCH_JAR measures another build; BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/post.jfr,settings=profile"
#   records a JFR profile of the platform.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/jdk.sh
[ -f target/c18n.jar ] || mvn -B -q -DskipTests package
mvn -B -q -DskipTests -Dskip.frontend=true test-compile exec:java \
    -Dexec.mainClass=org.c18n.bench.PostBenchmark -Dexec.classpathScope=test \
    -Dbench.seconds="${1:-15}" -Dbench.posts="${2:-100000}" -Dbench.jar="${BENCH_JAR:-target/c18n.jar}" \
    -Dbench.communityRate="${BENCH_COMMUNITY_RATE:-406}" -Dbench.homeRate="${BENCH_HOME_RATE:-133}" \
    -Dbench.javaOpts="${BENCH_JAVA_OPTS:-}"
