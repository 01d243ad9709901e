#!/usr/bin/env python3
"""Regenerates examples/demo-account/: the recorded exchanges of a small, deliberately
insecure AWS account that `bulwark collect` reads through the loopback replay server to
build the demo snapshot.

The base is the recorded "acme" account of ../shared/fixtures/aws-recorded (see its
README), trimmed (GetAccountAuthorizationDetails keeps only the AWS managed policies that
are attached; signature-failure recordings and the recorded DescribeSnapshots are dropped) and made worse on purpose: the
root user has an old access key and no MFA, and the CI user's key is two years old.

The exchanges no recording holds are written by hand in examples/demo-account/ itself,
marked "hand_made": true (see README.md there); they are kept as they are. Run it from the
repository root; it rewrites every other file of examples/demo-account/."""

import base64
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "fixtures" / "aws-recorded"
OUT = ROOT / "examples" / "demo-account"


def is_auth_failure(doc):
    body = doc["response_body"]
    return doc["status"] in (401, 403) and ("SignatureDoesNotMatch" in body or "AuthFailure" in body)


def trim_authorization_details(body):
    attached = set(re.findall(r"<PolicyArn>([^<]+)</PolicyArn>", body))
    def keep(match):
        member = match.group(0)
        arn = re.search(r"<Arn>([^<]+)</Arn>", member).group(1)
        return member if (arn in attached or ":aws:policy/" not in arn) else ""
    head, sep, rest = body.partition("<Policies>")
    policies, sep2, tail = rest.partition("</Policies>")
    policies = re.sub(r"<member><Arn>.*?</PolicyVersionList>.*?</member>", keep, policies, flags=re.S)
    return head + sep + policies + sep2 + tail


def worsen_summary(body):
    return body.replace("<key>AccountAccessKeysPresent</key><value>0</value>",
                        "<key>AccountAccessKeysPresent</key><value>1</value>")


def worsen_credential_report(body):
    content = re.search(r"<Content>([^<]+)</Content>", body).group(1)
    csv = base64.b64decode(content).decode()
    lines = csv.splitlines()
    root = ("<root_account>,arn:aws:iam::123456789012:root,2019-03-02T08:00:00+00:00,not_supported,"
            "2026-11-20T21:14:03+00:00,not_supported,not_supported,false,true,"
            "2019-03-02T08:10:00+00:00,2026-11-22T03:41:00+00:00,eu-west-1,ec2,false,N/A,N/A,N/A,N/A,"
            "false,N/A,false,N/A")
    lines.insert(1, root)
    lines = [l.replace("ci-bot,arn:aws:iam::123456789012:user/ci-bot,2026-11-23T05:13:31+00:00,false,"
                       "not_supported,2026-11-23T05:13:31+00:00,not_supported,false,true,2026-11-23T05:13:32+00:00",
                       "ci-bot,arn:aws:iam::123456789012:user/ci-bot,2024-06-03T09:00:00+00:00,false,"
                       "not_supported,2024-06-03T09:00:00+00:00,not_supported,false,true,2024-06-03T09:05:00+00:00")
             for l in lines]
    encoded = base64.b64encode(("\n".join(lines) + "\n").encode()).decode()
    return body.replace(content, encoded)


def main():
    if not SOURCE.is_dir():
        sys.exit(f"{SOURCE} not found: run from a checkout with ../shared beside it")
    OUT.mkdir(parents=True, exist_ok=True)
    hand_made = set()
    for path in OUT.glob("*.json"):
        if json.loads(path.read_text()).get("hand_made"):
            hand_made.add(path.name)
        else:
            path.unlink()
    count = 0
    for path in sorted(SOURCE.rglob("*.json")):
        doc = json.loads(path.read_text())
        if is_auth_failure(doc) or doc["operation"] == "DescribeSnapshots":
            continue  # the recorded DescribeSnapshots lists other owners' snapshots: large, unused
        op = doc["operation"]
        if op == "GetAccountAuthorizationDetails":
            doc["response_body"] = trim_authorization_details(doc["response_body"])
        elif op == "GetAccountSummary":
            doc["response_body"] = worsen_summary(doc["response_body"])
        elif op == "GetCredentialReport":
            doc["response_body"] = worsen_credential_report(doc["response_body"])
        elif op == "ListAccessKeys" and "UserName=ci-bot" in doc["request_body"]:
            doc["response_body"] = re.sub(r"<CreateDate>[^<]+</CreateDate>",
                                          "<CreateDate>2024-06-03T09:05:00Z</CreateDate>",
                                          doc["response_body"])
        name = f"{doc['service']}-{path.stem}.json"
        if name in hand_made:
            sys.exit(f"{name} is both recorded and hand-made")
        (OUT / name).write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n")
        count += 1
    print(f"wrote {count} recorded exchanges to {OUT}, kept {len(hand_made)} hand-made ones")


if __name__ == "__main__":
    main()
