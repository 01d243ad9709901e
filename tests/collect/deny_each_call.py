#!/usr/bin/env python3
"""Denies each API call bulwark makes, one at a time, in moto, and holds every scan to the
scan with nothing denied: a finding may only turn into ERROR, never into another PASS or
FAIL, and none may vanish. The calls come from the snapshot's own map (snapshot_tables.calls).

usage: deny_each_call.py BULWARK SHARED_DIR
"""
import concurrent.futures, json, os, socket, subprocess, sys, tempfile

bulwark, shared = sys.argv[1], sys.argv[2]
moto = os.path.join(shared, "tools", "moto", "start.sh")
if not os.path.exists(moto):
    print("no moto beside the repository; skipped")
    sys.exit(77)
import boto3  # installed by moto's start.sh

# The IAM action behind a call, where its name is not the operation's.
IAM_ACTION = {
    "monitoring:DescribeAlarms": "cloudwatch:DescribeAlarms",
    "s3:ListBuckets": "s3:ListAllMyBuckets",
    "s3:GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
    "s3:GetBucketEncryption": "s3:GetEncryptionConfiguration",
    "s3:GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
}
# AWS answers these whatever the policy says.
NEVER_DENIED = {"sts:GetCallerIdentity"}

tmp = tempfile.mkdtemp(prefix="bulwark-deny-")
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
port = sock.getsockname()[1]
sock.close()
env_file = os.path.join(tmp, "moto.env")
pid = int(subprocess.check_output(["bash", moto, str(port), env_file], text=True).split()[-1])
try:
    env = dict(os.environ)
    for part in open(env_file).read().replace("export ", "").split():
        k, v = part.split("=", 1)
        env[k] = v
    ep = env["AWS_ENDPOINT_URL"]
    admin = dict(endpoint_url=ep, region_name="us-east-1",
                 aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                 aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])
    c = lambda name: boto3.client(name, **admin)
    # An account with one of most things a check looks at.
    c("s3").create_bucket(Bucket="trail-logs")
    c("s3").put_bucket_policy(Bucket="trail-logs", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::trail-logs/*"}]}))
    c("s3").create_bucket(Bucket="private-data")
    c("cloudtrail").create_trail(Name="main", S3BucketName="trail-logs", IsMultiRegionTrail=True)
    c("cloudtrail").start_logging(Name="main")
    c("iam").create_user(UserName="alice")
    c("iam").create_access_key(UserName="alice")
    c("iam").create_login_profile(UserName="alice", Password="Passw0rd!Passw0rd!")
    key = c("kms").create_key()["KeyMetadata"]["KeyId"]
    c("sns").create_topic(Name="alerts")
    c("sqs").create_queue(QueueName="jobs")
    c("ec2").create_security_group(GroupName="open", Description="open")
    c("logs").create_log_group(logGroupName="/app")
    c("dynamodb").create_table(TableName="sessions", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                               AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                               BillingMode="PAY_PER_REQUEST")
    c("ecr").create_repository(repositoryName="app")
    c("secretsmanager").create_secret(Name="db", SecretString="x")

    def scan(name, access):
        out = os.path.join(tmp, name)
        run_env = dict(env, AWS_ACCESS_KEY_ID=access[0], AWS_SECRET_ACCESS_KEY=access[1])
        r = subprocess.run([bulwark, "scan", "--regions", "us-east-1", "--format", "json",
                            "--output", out + ".json", "--save-snapshot", out + ".db", "--quiet"],
                           env=run_env, capture_output=True, text=True, timeout=300)
        if r.returncode not in (0, 1) or not os.path.exists(out + ".json"):
            raise RuntimeError(f"scan {name}: exit {r.returncode}: {r.stderr[-2000:]}")
        findings = json.load(open(out + ".json"))["findings"]
        errors = subprocess.run([bulwark, "query", out + ".db",
                                 "SELECT service || ':' || operation FROM collection_errors",
                                 "--format", "csv"], capture_output=True, text=True).stdout.split()[1:]
        return findings, set(errors)

    def user_with_deny(call):
        iam = c("iam")
        name = "deny-" + call.replace(":", "-")
        iam.create_user(UserName=name)
        iam.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        iam.put_user_policy(UserName=name, PolicyName="deny", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Deny", "Action": IAM_ACTION.get(call, call), "Resource": "*"}]}))
        k = iam.create_access_key(UserName=name)["AccessKey"]
        return k["AccessKeyId"], k["SecretAccessKey"]

    first, _ = scan("first", (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]))
    calls = subprocess.run([bulwark, "query", os.path.join(tmp, "first.db"),
                            "SELECT DISTINCT value FROM snapshot_tables, json_each(calls) ORDER BY 1",
                            "--format", "csv"], capture_output=True, text=True, check=True).stdout.split()[1:]
    calls = [x for x in calls if x not in NEVER_DENIED]
    # The users come before the baseline, so it sees the same account as every denied scan.
    users = {call: user_with_deny(call) for call in calls}
    base, base_errors = scan("base", (env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]))
    key_of = lambda f: (f["check_id"], f["region"], f["resource_id"])
    base_by_key = {}
    for f in base:
        base_by_key.setdefault(key_of(f), set()).add(f["status"])

    problems, exercised = [], 0
    def one(call):
        return call, scan("deny-" + call.replace(":", "-"), users[call])
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for call, (found, errors) in pool.map(one, calls):
            if call not in errors - base_errors:
                continue  # the emulator did not refuse this call: nothing to hold
            exercised += 1
            by_key = {}
            for f in found:
                by_key.setdefault(key_of(f), set()).add(f["status"])
            for key, statuses in base_by_key.items():
                got = by_key.get(key)
                if got is None:
                    # Its rows could not be listed: the check says ERROR where they failed.
                    if not any(k[0] == key[0] and "ERROR" in s for k, s in by_key.items()):
                        problems.append(f"{call} denied: {key} ({statuses}) vanished")
                elif got != statuses and got != {"ERROR"}:
                    problems.append(f"{call} denied: {key} went from {sorted(statuses)} to {sorted(got)}")
            for key, statuses in by_key.items():
                if key not in base_by_key and statuses != {"ERROR"}:
                    problems.append(f"{call} denied: new finding {key} {sorted(statuses)}")
    print(f"{len(calls)} calls, {exercised} refused by the emulator and held to the baseline; "
          f"{len(problems)} problem(s)")
    for p in problems[:40]:
        print("  " + p)
    if exercised < len(calls) // 2:
        print("too few calls were refused for the test to mean anything")
        sys.exit(1)
    sys.exit(1 if problems else 0)
finally:
    os.kill(pid, 15)
