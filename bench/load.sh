#!/usr/bin/env bash
# dmap load scenario (issue 14): 200 map runs submitted at once to a local cluster as ./dmap up runs it; every run
# checked (exact counts, every item once in its result files); RSS of every service sampled before, during, after.
#   bench/load.sh [--runs 200] [--items 50] [--report FILE]      report: bench/results/load-<date>.md
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
for f in planner/target/quarkus-app/quarkus-run.jar worker/target/quarkus-app/quarkus-run.jar \
         aggregator/target/quarkus-app/quarkus-run.jar cli/target/lib bench/target/classes bench/target/lib; do
  [[ -e "$f" ]] || { echo "building the reactor (no tests) ..."; ./mvnw -q -o package -DskipTests -DskipITs; break; }
done
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$JAVA" -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Ddmap.repo.root="$REPO" \
  -cp "bench/target/classes:bench/target/lib/*" io.dmap.bench.chaos.Load "$@"
