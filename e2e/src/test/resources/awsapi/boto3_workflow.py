"""boto3 runs a whole state machine with a Distributed Map on dmap: create -> start -> describe -> list map runs ->
update map run -> (execution succeeds) ; a second execution fails -> redrive -> history.

Usage: python3 boto3_workflow.py ENDPOINT MACHINE_NAME DEFINITION_FILE
Prints a JSON summary on the last line; asserts what boto3 itself can check.
"""
import datetime
import json
import sys
import time

import boto3

endpoint, machine_name, definition_file = sys.argv[1:4]
sfn = boto3.client("stepfunctions", endpoint_url=endpoint)
summary = {}


def wait(arn, until=lambda d: d["status"] != "RUNNING", timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        d = sfn.describe_execution(executionArn=arn)
        if until(d):
            return d
        time.sleep(0.5)
    raise AssertionError("execution %s did not get there: %s" % (arn, d))


with open(definition_file) as f:
    definition = f.read()
machine = sfn.create_state_machine(name=machine_name, definition=definition,
                                   roleArn="arn:aws:iam::123456789012:role/boto3")["stateMachineArn"]

# an execution whose map run is updated while it runs: its one failure becomes tolerated
started = sfn.start_execution(stateMachineArn=machine, name="tolerant", input=json.dumps({"numbers": [1, 2, 3, 4, 5, 13]}))
assert isinstance(started["startDate"], datetime.datetime), started
deadline = time.time() + 60
runs = []
while not runs and time.time() < deadline:
    runs = sfn.list_map_runs(executionArn=started["executionArn"])["mapRuns"]
    time.sleep(0.2)
assert runs, "no map run listed"
map_run = runs[0]["mapRunArn"]
sfn.update_map_run(mapRunArn=map_run, toleratedFailureCount=1)
done = wait(started["executionArn"])
summary["tolerant"] = {"status": done["status"], "output": json.loads(done.get("output", "null"))}
run = sfn.describe_map_run(mapRunArn=map_run)
summary["mapRun"] = {"status": run["status"], "executionArn": run["executionArn"],
                     "toleratedFailureCount": run["toleratedFailureCount"], "itemCounts": run["itemCounts"]}
children = [e for page in sfn.get_paginator("list_executions").paginate(mapRunArn=map_run) for e in page["executions"]]
summary["children"] = sorted(e["status"] for e in children)

# an execution that fails, is redriven, and fails again (13 is never allowed)
failing = sfn.start_execution(stateMachineArn=machine, name="unlucky", input=json.dumps({"numbers": [13]}))
failed = wait(failing["executionArn"])
summary["unlucky"] = {"status": failed["status"], "error": failed.get("error")}
redriven = sfn.redrive_execution(executionArn=failing["executionArn"])
assert isinstance(redriven["redriveDate"], datetime.datetime), redriven
again = wait(failing["executionArn"], lambda d: d["status"] != "RUNNING" and d.get("redriveCount", 0) == 1)
summary["redriven"] = {"status": again["status"], "redriveCount": again["redriveCount"]}
events = [e for page in sfn.get_paginator("get_execution_history").paginate(executionArn=failing["executionArn"])
          for e in page["events"]]
assert all(isinstance(e["timestamp"], datetime.datetime) for e in events), events
summary["history"] = [e["type"] for e in events]
summary["executions"] = sorted(e["name"] for e in sfn.list_executions(stateMachineArn=machine)["executions"])
print(json.dumps(summary, default=str))
