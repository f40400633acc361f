#!/usr/bin/env bash
# Smoke test of docker-compose.yml for a machine with Docker: up (building the services), wait until every
# service is healthy, run a map of 200 inline items with a result writer, check the result files on the S3
# server's disk, then down (volumes included). Exit code 0 only if all of it worked.
#   deploy/compose-smoke.sh            (from the repository root or anywhere)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PROJECT=dmap-smoke
compose() { docker compose -p "$PROJECT" -f docker-compose.yml "$@"; }
cleanup() { compose down -v --remove-orphans >/dev/null 2>&1 || true; }
trap cleanup EXIT

command -v docker >/dev/null || { echo "compose-smoke: docker is not installed" >&2; exit 2; }
compose up --build -d --wait --wait-timeout 600

API=http://127.0.0.1:8080
items=$(seq -s, 1 200)
spec=$(cat <<JSON
{"Input": [$items],
 "ItemBatcher": {"MaxItemsPerBatch": 10},
 "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                   "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
 "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                  "Parameters": {"Bucket": "dmap-demo-results", "Prefix": "smoke"}}}
JSON
)
# the planner image has no curl: ask from the host (bash's /dev/tcp would do too, curl is simpler)
id=$(curl -fsS -X POST -H 'Content-Type: application/json' --data "$spec" "$API/map-runs" \
     | sed -n 's/.*"mapRunId":"\([^"]*\)".*/\1/p')
[ -n "$id" ] || { echo "compose-smoke: POST /map-runs gave no mapRunId" >&2; exit 1; }
echo "compose-smoke: map run $id"
status=RUNNING
for _ in $(seq 1 120); do
  run=$(curl -fsS "$API/map-runs/$id")
  status=$(printf %s "$run" | sed -n 's/.*"status":"\([A-Z_]*\)".*/\1/p')
  [ "$status" != RUNNING ] && [ -n "$status" ] && break
  sleep 1
done
echo "compose-smoke: $status"
[ "$status" = SUCCEEDED ] || { echo "$run" >&2; compose logs --tail 50 >&2; exit 1; }
printf %s "$run" | grep -q '"resultsWritten":200' || { echo "compose-smoke: not every result was written: $run" >&2; exit 1; }
# the gateway's posix backend: the bucket is a directory of its volume
files=$(compose exec -T s3 sh -c "find /data/dmap-demo-results/smoke -type f" )
echo "$files"
echo "$files" | grep -q "manifest.json" || { echo "compose-smoke: no manifest.json" >&2; exit 1; }
echo "$files" | grep -q "SUCCEEDED_0.json" || { echo "compose-smoke: no SUCCEEDED_0.json" >&2; exit 1; }
echo "compose-smoke: OK"
