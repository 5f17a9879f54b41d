#!/usr/bin/env bash
# Search benchmark: N generated posts indexed from the log (live, and rebuilt: docs/s, size on
# disk), query latency of term/phrase/prefix queries through the API with 8 clients, freshness
# while posts arrive at 2,000/s. The platform runs inside the benchmark's JVM. See bench/README.md.
#   bench/search-bench.sh [posts] [seconds-per-run] [rebuild: true|false]   (defaults 1000000, 20, true)
# posts may be a list of sizes, e.g. 1000,1000000: the queries run at each size as the posts are added.
# BENCH_JAVA_OPTS adds JVM options (e.g. -XX:StartFlightRecording=filename=target/search.jfr).
# SEARCH_BENCH_BACKEND=opensearch measures the OpenSearch backend instead of Lucene: an OpenSearch node
# (the one the tests use, heap SEARCH_BENCH_OPENSEARCH_HEAP, default 1g) is started on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/jdk.sh
mvn -B -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
exec java $JDK_OPTS -Xmx3g ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
    -Dbench.posts="${1:-1000000}" -Dbench.seconds="${2:-20}" \
    -Dbench.rebuild="${3:-true}" -Dbench.backend="${SEARCH_BENCH_BACKEND:-lucene}" \
    -Dc18n.test.opensearch-heap="${SEARCH_BENCH_OPENSEARCH_HEAP:-1g}" org.c18n.bench.SearchBenchmark
