#!/usr/bin/env bash
# dmap benchmark harness (issue 7): builds what is missing, starts one local cluster (real KRaft broker, S3Proxy, the
# three services as processes) in a fresh folder under bench/target, runs the scenarios and prints a table of medians
# beside same-run baselines; writes bench/results/<date>.md and the table in bench/README.md.
#
#   bench/run.sh                 the full harness (~15-20 min on 2 cores)
#   bench/run.sh --quick         a small smoke run of the harness itself (results go to <date>-quick.md only)
#   bench/run.sh --build ...     rebuild the reactor first (else only when a jar is missing)
#   bench/run.sh --help          all options
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)

build=false
args=()
for a in "$@"; do
  if [[ "$a" == "--build" ]]; then build=true; else args+=("$a"); fi
done

missing() {
  for f in planner/target/quarkus-app/quarkus-run.jar worker/target/quarkus-app/quarkus-run.jar \
           aggregator/target/quarkus-app/quarkus-run.jar cli/target/lib bench/target/classes bench/target/lib; do
    [[ -e "$f" ]] || return 0
  done
  return 1
}

if $build || missing; then
  echo "building the reactor (no tests) ..."
  for attempt in 1 2 3; do
    # package, never install: the shared ~/.m2 must not get this tree's SNAPSHOTs (the reactor resolves its own jars)
    if ./mvnw -q -o package -DskipTests -DskipITs -pl planner,worker,aggregator,cli,bench -am; then break; fi
    [[ $attempt == 3 ]] && { echo "build failed"; exit 1; }
    echo "build failed (attempt $attempt); retrying in 60 s ..."; sleep 60
  done
fi

JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
exec "$JAVA" -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Ddmap.repo.root="$REPO" -cp "bench/target/classes:bench/target/lib/*" io.dmap.bench.Bench "${args[@]}"
