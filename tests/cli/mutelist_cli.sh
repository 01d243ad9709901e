#!/usr/bin/env bash
# scan --mutelist on the demo snapshot: muted findings in every format, expired and unused
# entries reported, and bad mutelists refused with the line named.
set -u
B=$1
SRC=$2
DEMO=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
M="$SRC/examples/mutelist/demo-mutes.yaml"

"$B" scan --snapshot "$DEMO" --mutelist "$M" --format json,sarif,junit,asff --output-dir "$T" \
  2> "$T/err" || fail "scan exit $?"
grep -q "finding(s) muted by" "$T/err" || fail "no mute count: $(cat "$T/err")"
grep -q "demo-mutes.yaml:13: the mute of ec2_security_group_restricted_egress (owner network@acme.example) expired on 2025-06-30" "$T/err" \
  || fail "expired entry not reported: $(cat "$T/err")"
grep -q "demo-mutes.yaml:18: the mute of rds_multi_az matched no failing finding" "$T/err" \
  || fail "unmatched entry not reported: $(cat "$T/err")"
python3 - "$T" <<'PY' || fail "muted findings"
import json, sys
d = sys.argv[1]
r = json.load(open(d + "/report.json"))
muted = [f for f in r["findings"] if f["status"] == "MUTED"]
assert len(muted) == r["summary"]["by_status"]["MUTED"] > 30, len(muted)
assert all(f["mute"]["reason"] and f["mute"]["owner"] for f in muted)
egress = [f for f in r["findings"] if f["check_id"] == "ec2_security_group_restricted_egress" and f["region"] == "eu-west-1"]
assert egress and all(f["status"] == "FAIL" for f in egress), "an expired mute must not mute"
sarif = json.load(open(d + "/report.sarif"))
assert sum(1 for x in sarif["runs"][0]["results"] if x.get("suppressions")) == len(muted)
asff = json.load(open(d + "/report.asff.json"))
assert sum(1 for x in asff if x["Workflow"]["Status"] == "SUPPRESSED") == len(muted)
assert open(d + "/report.junit.xml").read().count('<skipped message="muted: ') == len(muted)
PY

printf 'mutes:\n  - checks: [a]\n    owner: me\n' > "$T/bad.yaml"
"$B" scan --snapshot "$DEMO" --mutelist "$T/bad.yaml" > /dev/null 2> "$T/err"; [ $? -eq 2 ] || fail "bad mutelist exit"
grep -q "bad.yaml:2: a mute entry needs a reason" "$T/err" || fail "bad mutelist message: $(cat "$T/err")"
# History: two scans, then history and diff (the second mutes some failures: still open).
"$B" scan --snapshot "$DEMO" --history "$T/h.db" > /dev/null 2>&1 || fail "history scan 1"
"$B" scan --snapshot "$DEMO" --history "$T/h.db" --mutelist "$M" > /dev/null 2>&1 || fail "history scan 2"
"$B" history --history "$T/h.db" > "$T/out" || fail "history exit"
[ "$(grep -c 123456789012 "$T/out")" -eq 2 ] || fail "history: $(cat "$T/out")"
"$B" diff --history "$T/h.db" > "$T/out" || fail "diff exit"
grep -q "scan 1 (.*) -> scan 2 (.*): 0 new, 0 resolved, [0-9]* still open" "$T/out" || fail "diff: $(head -3 "$T/out")"
grep -q "; muted)" "$T/out" || fail "diff shows no muted failure"
"$B" diff --history "$T/h.db" 1 2 -f json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["still_open"] and not d["new"]'   || fail "diff json"
"$B" diff --history "$T/none.db" 2> "$T/err"; [ $? -eq 1 ] || fail "diff without history"
grep -q "none.db" "$T/err" || fail "diff message"
echo "mutelist cli: ok"
