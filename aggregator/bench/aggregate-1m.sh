#!/usr/bin/env bash
# Memory-at-scale check of the aggregator (issue 5): one run of 1,000,000 items in batches of 100 (10,000 batches)
# through the REAL aggregator process at -Xmx512m; prints the tally rate, the time to write the result files and
# the aggregator's peak heap (sampled from /q/metrics and read from its GC log), and checks the final counts.
#   aggregator/bench/aggregate-1m.sh [items] [itemsPerBatch] [xmx]
# Needs the aggregator built (./mvnw -q -o install -pl aggregator -DskipTests). The Kafka broker and S3Proxy of the
# test infrastructure run inside the driving JVM; the aggregator is a child process with only the heap given here.
set -euo pipefail
cd "$(dirname "$0")/../.."
ITEMS="${1:-1000000}"
PER_BATCH="${2:-100}"
XMX="${3:-512m}"
CP_FILE=aggregator/target/bench.classpath
./mvnw -q -o dependency:build-classpath -pl aggregator -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$CP_FILE" >/dev/null
mkdir -p aggregator/target/bench
exec java -Xmx2g -cp "aggregator/target/test-classes:aggregator/target/classes:$(cat "$CP_FILE")" \
  io.dmap.aggregator.bench.Aggregate1M aggregator/target/quarkus-app/quarkus-run.jar "$ITEMS" "$PER_BATCH" "$XMX" \
  aggregator/target/bench
