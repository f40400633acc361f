#!/usr/bin/env bash
# dmap chaos harness (issue 14): one supervised local cluster (as ./dmap up runs it), then N rounds of a random run
# (listing, JSONL with failures within tolerance, abort, redrive, results split over several files) with a random
# process killed -9 or paused past its session timeout; each round's run is checked (exact counts, every item once
# across SUCCEEDED/FAILED/PENDING, manifest sizes, DescribeMapRun agreeing with the files). Seeded: a failing round
# is replayed with --seed S --only R. The report goes to bench/results/chaos-<date>-seed<S>.md as rounds finish.
#
#   bench/chaos.sh                          100 rounds, seed from the clock
#   bench/chaos.sh --rounds 100 --minutes 30 --seed 14   stop starting rounds after 30 minutes
#   bench/chaos.sh --seed 14 --only 7       replay round 7 of seed 14
#   bench/chaos.sh --seed 16 --from 90 --rounds 92   rounds 90-92 on one cluster (a fault's after-effects)
#   bench/chaos.sh --seed 17 --rounds 30 --target kafka   every round's fault on the broker
#   bench/chaos.sh --no-pauses              kills only (no SIGSTOP)
#   options: --rounds N --seed S --only R --from R --target NAME --minutes M --workers N --planners N --no-pauses --report FILE --home DIR
#
# It runs from a copy of the built jars (bench/target/chaos-apps-*): a rebuild during a long run must not change
# what the supervisor restarts, nor the harness's own classes.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
for f in planner/target/quarkus-app/quarkus-run.jar worker/target/quarkus-app/quarkus-run.jar \
         aggregator/target/quarkus-app/quarkus-run.jar cli/target/lib bench/target/classes bench/target/lib; do
  [[ -e "$f" ]] || { echo "building the reactor (no tests) ..."; ./mvnw -q -o package -DskipTests -DskipITs; break; }
done
APPS="$REPO/bench/target/chaos-apps-$(date +%s)"
mkdir -p "$APPS/cli/target" "$APPS/bench/target"
for m in planner worker aggregator; do mkdir -p "$APPS/$m/target"; cp -r "$m/target/quarkus-app" "$APPS/$m/target/"; done
cp -r cli/target/lib "$APPS/cli/target/"
cp -r bench/target/classes bench/target/lib "$APPS/bench/target/"
cp pom.xml "$APPS/"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$JAVA" -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Ddmap.repo.root="$REPO" \
  -cp "$APPS/bench/target/classes:$APPS/bench/target/lib/*" io.dmap.bench.chaos.Chaos --apps "$APPS" "$@"
