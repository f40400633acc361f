#!/usr/bin/env bash
# Streaming check of the planner: plans a 10,000,000-row JSONL item file with the real planner at -Xmx256m and
# prints the planning rate and the planner's heap figures (from its GC log).
#   planner/bench/plan-10m.sh [rows] [xmx] [maxItemsPerBatch]
# Needs the planner built (./mvnw -q -o install -pl planner -DskipTests). The Kafka broker and S3Proxy of the test
# infrastructure run inside the orchestrating JVM (given 3 GiB: S3Proxy keeps the file in memory); the planner is a
# child process with only the heap given here.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS="${1:-10000000}"
XMX="${2:-256m}"
PER_BATCH="${3:-100}"
CP_FILE=planner/target/bench.classpath
./mvnw -q -o dependency:build-classpath -pl planner -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$CP_FILE" >/dev/null
mkdir -p planner/target/bench
exec java -Xmx3g -cp "planner/target/test-classes:planner/target/classes:$(cat "$CP_FILE")" \
  io.dmap.planner.bench.Plan10M planner/target/quarkus-app/quarkus-run.jar "$ROWS" "$XMX" "$PER_BATCH" planner/target/bench
