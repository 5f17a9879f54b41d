#!/usr/bin/env bash
# Media store benchmark (issue 18): upload and download MB/s and CPU seconds per GB of the local
# directory store and of the S3 store against an S3 API server (S3Proxy over a directory, in the
# benchmark's JVM), through the platform's MediaStore (hash + copy, or hash + streamed 8 MB parts).
# See bench/README.md.
#   bench/s3-bench.sh [files] [megabytes-per-file]   (defaults 8, 64)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/jdk.sh
mvn -B -q -Dskip.frontend=true -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath
exec java $JDK_OPTS -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench.classpath)" \
    -Dbench.files="${1:-8}" -Dbench.mb="${2:-64}" org.c18n.bench.MediaStoreBenchmark
