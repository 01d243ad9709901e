#!/usr/bin/env python3
"""bulwark watch against moto with a webhook receiver and an SMTP server (aiosmtpd) on
127.0.0.1, and an SNS topic in moto read back through a subscribed SQS queue: the first
cycle is the
starting point and sends nothing; opening a security group to the world and making a bucket
public sends exactly those new failures (the receiver answers 500 to the first message, which
stays in the outbox and is delivered by the next cycle); closing them sends "resolved"; an
unchanged cycle sends nothing. A bad notify file is refused before any cycle, naming file and
line, and the webhook URL (its own secret) appears in no output and not in the database.

usage: watch_cycles.py BULWARK SHARED_DIR
"""
import http.server, json, mailbox, os, socket, sqlite3, subprocess, sys, tempfile, threading, time

bulwark, shared = sys.argv[1], sys.argv[2]
moto = os.path.join(shared, "tools", "moto", "start.sh")
if not os.path.exists(moto):
    print("no moto beside the repository; skipped")
    sys.exit(77)
import boto3  # installed by moto's start.sh


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


received, answers = [], []


class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        code = answers.pop(0) if answers else 200
        if code == 200:
            received.append(json.loads(body))
        self.send_response(code)
        self.end_headers()

    def log_message(self, *args):
        pass


hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
threading.Thread(target=hook.serve_forever, daemon=True).start()
secret_path = "/hook/T000/B000/s3cr3tT0k3nPart"
hook_url = f"http://127.0.0.1:{hook.server_address[1]}{secret_path}"

tmp = tempfile.mkdtemp(prefix="bulwark-watch-")
env_file = os.path.join(tmp, "moto.env")
pid = int(subprocess.check_output(["bash", moto, str(free_port()), env_file], text=True).split()[-1])
# A real SMTP server (Debian's python3-aiosmtpd) keeping what it receives in a maildir.
maildir = os.path.join(tmp, "mail")
smtp_port = free_port()
smtpd = subprocess.Popen(["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}",
                          "-c", "aiosmtpd.handlers.Mailbox", maildir],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
for _ in range(50):
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", smtp_port)) == 0:
            break
    time.sleep(0.1)
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


try:
    env = dict(os.environ)
    for part in open(env_file).read().replace("export ", "").split():
        k, v = part.split("=", 1)
        env[k] = v
    env["SECOPS_HOOK"] = hook_url
    admin = dict(endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1",
                 aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
                 aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])
    ec2, s3 = boto3.client("ec2", **admin), boto3.client("s3", **admin)
    sg = ec2.create_security_group(GroupName="web", Description="web")["GroupId"]
    s3.create_bucket(Bucket="reports")
    sns, sqs = boto3.client("sns", **admin), boto3.client("sqs", **admin)
    topic = sns.create_topic(Name="security-alerts")["TopicArn"]
    queue = sqs.create_queue(QueueName="alerts-inbox")["QueueUrl"]
    # moto answers GetQueueAttributes(QueueArn) without attributes; the ARN is AWS's form.
    queue_arn = "arn:aws:sqs:us-east-1:123456789012:alerts-inbox"
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)

    notify = os.path.join(tmp, "notify.yaml")
    with open(notify, "w") as f:
        f.write("routes:\n"
                "  - name: secops-chat\n"
                "    webhook: env:SECOPS_HOOK\n"
                "    checks: [ec2_security_group_no_world_admin_*, s3_bucket_policy_not_public]\n"
                "  - name: siem\n"
                "    json_webhook: env:SECOPS_HOOK\n"
                "    changes: [new, regressed, resolved]\n"
                "    checks: [s3_bucket_policy_not_public]\n"
                "    digest: true\n"
                "  - name: mail\n"
                f"    smtp: {{host: 127.0.0.1, port: {smtp_port}, starttls: false, from: bulwark@example.com, "
                "to: [secops@example.com]}\n"
                "    checks: [s3_bucket_policy_not_public]\n"
                "    changes: [new]\n"
                "  - name: alerts\n"
                "    json_webhook: env:SECOPS_HOOK\n"
                "    changes: [alert]\n"
                "  - name: topic\n"
                f"    sns: {topic}\n"
                "    checks: [s3_bucket_policy_not_public]\n")
    history = os.path.join(tmp, "history.db")
    logs = os.path.join(tmp, "logs")
    os.makedirs(logs)
    outputs = []

    def cycle():
        r = subprocess.run([bulwark, "watch", "--once", "--regions", "us-east-1", "--quiet",
                            "--history", history, "--notify", notify, "--logs", logs,
                            "--snapshots-dir", os.path.join(tmp, "snaps"), "--keep", "2"],
                           env=env, capture_output=True, text=True, timeout=300)
        outputs.append(r.stdout + r.stderr)
        if r.returncode != 0:
            raise RuntimeError(f"watch exit {r.returncode}: {r.stderr[-3000:]}")
        return r.stderr

    # Bad notify files are refused before anything runs.
    for text, want in [("routes:\n  - name: a\n    webhook: env:SECOPS_HOOK\n    colour: red\n",
                        "bad.yaml:4: unknown key 'colour'"),
                       ("routes:\n  - name: a\n    webhook: ftp://x\n", "bad.yaml:3: the webhook is not"),
                       ("routes:\n  - name: a\n    webhook: env:SECOPS_HOOK\n    severity: [urgent]\n",
                        "bad.yaml:4: unknown severity 'urgent'"),
                       ("routes:\n  - name: m\n    smtp: {host: h, from: a@b, to: [c@d], password: hunter2}\n",
                        "bad.yaml:3: a password is given as env:VARIABLE or file:PATH")]:
        bad = os.path.join(tmp, "bad.yaml")
        open(bad, "w").write(text)
        r = subprocess.run([bulwark, "watch", "--once", "--history", history, "--notify", bad],
                           env=env, capture_output=True, text=True, timeout=60)
        check(r.returncode == 2 and want in r.stderr and "hunter2" not in r.stderr,
              f"bad notify file: {r.returncode} {r.stderr!r}")
    check(not os.path.exists(history), "a refused notify file still ran a cycle")

    err = cycle()
    check("first cycle" in err, f"first cycle: {err}")
    check(received == [], f"first cycle sent {received}")

    # Open the group to the world on SSH, make the bucket public.
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    s3.put_bucket_policy(Bucket="reports", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}))
    answers.append(500)  # the first delivery fails and must come again
    err = cycle()
    digests = [m for m in received if "changes" in m]
    check("failed" in err and "HTTP 500" in err, f"the failed delivery is not reported: {err}")
    print("second cycle:", err.strip().splitlines()[-3:])
    check(len(digests) == 1 and [c["change"] for c in digests[0]["changes"]] == ["new"]
          and digests[0]["changes"][0]["resource_id"] == "reports",
          f"siem digest after opening: {digests}")
    # Exactly the two new failures reach the chat route (one of them failed first).
    pending = sqlite3.connect(history).execute(
        "SELECT count(*) FROM notify_outbox WHERE delivered_at IS NULL").fetchone()[0]
    check(pending == 1, f"{pending} deliveries pending after the 500")
    before = len(received)
    err = cycle()  # nothing changed: only the one owed message is sent
    check(len(received) == before + 1, f"retry: {received[before:]}")
    slack = [m for m in received if "blocks" in m]
    resources = sorted(f["text"].split("\n")[1] for m in slack for b in m["blocks"]
                       if b["type"] == "section" and "fields" in b for f in b["fields"][2:3])
    headers = sorted(m["blocks"][0]["text"]["text"].split(":")[0] for m in slack)
    check(resources == sorted([sg, "reports"]), f"chat messages name {resources}")
    check(all(h.startswith("NEW") for h in headers), f"chat headlines {headers}")

    # The mail route: one message, multipart with a text and an HTML part.
    mails = list(mailbox.Maildir(maildir, create=False)) if os.path.isdir(maildir) else []
    check(len(mails) == 1, f"{len(mails)} mails")
    if mails:
        m = mails[0]
        check(m["Subject"].startswith("[bulwark] NEW critical:") and "(reports)" in m["Subject"],
              f"mail subject {m['Subject']!r}")
        parts = [p.get_content_type() for p in m.walk()]
        check("text/plain" in parts and "text/html" in parts, f"mail parts {parts}")
        html = [p for p in m.walk() if p.get_content_type() == "text/html"][0].get_payload(decode=True)
        check(b"Remediation" in html and b"reports" in html, "mail HTML part")

    # SNS: the JSON payload, published to the topic, arrives in the subscribed queue.
    got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    published = [json.loads(json.loads(m["Body"])["Message"]) for m in got]
    check(len(published) == 1 and published[0]["changes"][0]["resource_id"] == "reports"
          and published[0]["changes"][0]["change"] == "new", f"SNS: {published}")

    # Close both: "resolved".
    ec2.revoke_security_group_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    s3.delete_bucket_policy(Bucket="reports")
    before = len(received)
    cycle()
    resolved = received[before:]
    heads = sorted(m["blocks"][0]["text"]["text"].split(" ")[0] for m in resolved if "blocks" in m)
    check(heads == ["RESOLVED", "RESOLVED"], f"resolved messages: {resolved}")
    check(any("changes" in m and m["changes"][0]["change"] == "resolved" for m in resolved),
          "no resolved digest")
    got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    published = [json.loads(json.loads(m["Body"])["Message"]) for m in got]
    check([p["changes"][0]["change"] for p in published] == ["resolved"], f"SNS resolved: {published}")

    before = len(received)
    cycle()
    check(len(received) == before, f"an unchanged cycle sent {received[before:]}")

    # Opened again: "regressed", not "new". A CloudTrail file arrives with logging stopped:
    # one alert, from that file only.
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    with open(os.path.join(logs, "111122223333_CloudTrail_us-east-1_20261202T0100Z_a.json"), "w") as f:
        json.dump({"Records": [{"eventVersion": "1.09", "eventTime": "2026-12-02T00:59:00Z",
                                "eventSource": "cloudtrail.amazonaws.com", "eventName": "StopLogging",
                                "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.9",
                                "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/eve"},
                                "requestParameters": {"name": "main"}}]}, f)
    before = len(received)
    err = cycle()
    heads = [m["blocks"][0]["text"]["text"] for m in received[before:] if "blocks" in m]
    check(len(heads) == 1 and heads[0].startswith("REGRESSED high"), f"reopened: {heads}")
    alerts = [c for m in received[before:] if "changes" in m for c in m["changes"] if c["change"] == "alert"]
    # The built-in rules that see StopLogging: the CIS configuration-change monitor and the
    # logging-stopped rule.
    check(len(alerts) == 2 and all(a["resource_id"] == "arn:aws:iam::111122223333:user/eve"
                                   and a["account_id"] == "111122223333" for a in alerts)
          and any("stopped" in a["title"] for a in alerts), f"alerts: {alerts}")
    check("1 new log file(s) hunted (0.0 MB): 2 alert(s)" in err, f"hunt summary: {err}")
    # The next cycle reads no log file twice.
    before = len(received)
    err = cycle()
    check(len(received) == before and "0 new log file(s) hunted (0.0 MB)" in err,
          f"second read of the logs: {received[before:]} {err}")

    # Each cycle's snapshot is kept, the newest two of them.
    snaps = sorted(os.listdir(os.path.join(tmp, "snaps")))
    check(len(snaps) == 2 and all(n.startswith("cycle-") for n in snaps), f"snapshots kept: {snaps}")

    # --every: SIGTERM between cycles stops it at once, cleanly.
    p = subprocess.Popen([bulwark, "watch", "--every", "1h", "--history", history, "--snapshot",
                          os.path.join(tmp, "snaps", snaps[-1])],
                         env=env, stderr=subprocess.PIPE, text=True)
    line = ""
    while "scan " not in line and p.poll() is None:
        line = p.stderr.readline()
    p.send_signal(15)
    try:
        rc = p.wait(timeout=5)
        rest = p.stderr.read()
        check(rc == 0 and "stopped" in rest, f"SIGTERM: exit {rc}, {rest!r}")
    except subprocess.TimeoutExpired:
        p.kill()
        check(False, "watch --every did not stop on SIGTERM")

    status = subprocess.run([bulwark, "watch", "status", "--history", history],
                            capture_output=True, text=True).stdout
    check(status.startswith("0 deliveries pending"), f"watch status: {status}")
    # The webhook URL is a secret: in no output and not in the database.
    db = open(history, "rb").read()
    check(secret_path.encode() not in db, "the webhook URL is in the history database")
    check(all(secret_path not in o for o in outputs), "the webhook URL is in the output")
    # Mail is sent for new failures only: nothing more arrived.
    check(len(list(mailbox.Maildir(maildir, create=False))) == 1, "more mail than the new failure")
finally:
    subprocess.run(["kill", str(pid)])
    smtpd.terminate()
    hook.shutdown()
if failures:
    sys.exit(1)
print("ok")
