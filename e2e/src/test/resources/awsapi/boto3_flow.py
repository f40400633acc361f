"""boto3 (a client dmap did not write) against dmap's Step Functions API.

Usage: python3 boto3_flow.py ENDPOINT MACHINE_NAME MAP_RUN_ARN
Credentials and region come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION).
Asserts what boto3 itself can check (shapes, types, error codes) and prints a JSON summary on the last line for
AwsClientsIT to check against the run it started.
"""
import datetime
import json
import os
import sys

import boto3
from botocore.exceptions import ClientError

endpoint, machine_name, map_run_arn = sys.argv[1:4]
sfn = boto3.client("stepfunctions", endpoint_url=endpoint)
summary = {}

definition = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
role = "arn:aws:iam::123456789012:role/boto3"
created = sfn.create_state_machine(name=machine_name, definition=definition, roleArn=role)
assert isinstance(created["creationDate"], datetime.datetime), created
described = sfn.describe_state_machine(stateMachineArn=created["stateMachineArn"])
assert described["definition"] == definition and described["type"] == "STANDARD", described
assert described["status"] == "ACTIVE" and described["roleArn"] == role, described
names = [m["name"] for page in sfn.get_paginator("list_state_machines").paginate(PaginationConfig={"PageSize": 1})
         for m in page["stateMachines"]]
assert machine_name in names, names
summary["stateMachineArn"] = created["stateMachineArn"]

try:
    sfn.create_state_machine(name=machine_name, definition=json.dumps({"StartAt": "X", "States": {}}), roleArn=role)
    raise AssertionError("an invalid definition was accepted")
except ClientError as e:
    summary["invalidDefinition"] = e.response["Error"]["Code"]

validated = sfn.validate_state_machine_definition(definition=json.dumps({"StartAt": "Nowhere", "States": {
    "P": {"Type": "Pass", "End": True}}}))
assert validated["result"] == "FAIL", validated
summary["diagnostics"] = [d["location"] for d in validated["diagnostics"]]

run = sfn.describe_map_run(mapRunArn=map_run_arn)
assert isinstance(run["startDate"], datetime.datetime) and isinstance(run["stopDate"], datetime.datetime), run
summary["mapRun"] = {k: run[k] for k in ("mapRunArn", "status", "maxConcurrency", "toleratedFailureCount")}
summary["itemCounts"] = run["itemCounts"]

executions = [e for page in sfn.get_paginator("list_executions").paginate(
    mapRunArn=map_run_arn, PaginationConfig={"PageSize": 2}) for e in page["executions"]]
for e in executions:
    assert e["mapRunArn"] == map_run_arn and isinstance(e["startDate"], datetime.datetime), e
summary["executions"] = sorted(e["status"] for e in executions)
summary["failedExecutions"] = len(sfn.list_executions(mapRunArn=map_run_arn, statusFilter="FAILED")["executions"])
summary["notRedriven"] = len(sfn.list_executions(mapRunArn=map_run_arn, redriveFilter="NOT_REDRIVEN")["executions"])

try:
    sfn.update_map_run(mapRunArn=map_run_arn, toleratedFailureCount=9)
    raise AssertionError("a finished map run was updated")
except ClientError as e:
    summary["updateFinished"] = [e.response["Error"]["Code"], e.response["Error"].get("Reason", e.response.get("reason"))]

wrong = boto3.client("stepfunctions", endpoint_url=endpoint, aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
                     aws_secret_access_key="not-the-secret")
try:
    wrong.list_state_machines()
    raise AssertionError("a request signed with the wrong secret was accepted")
except ClientError as e:
    summary["wrongSecret"] = e.response["Error"]["Code"]

print(json.dumps(summary, default=str))
