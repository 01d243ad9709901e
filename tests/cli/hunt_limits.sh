#!/usr/bin/env bash
# bulwark hunt in bounded memory: a gzip bomb (1 GB of zeros, honest and forged trailer)
# under a 1 GiB address-space limit is reported and the other inputs still read; a large
# JSON-lines file beyond --max-document-mb is streamed in a fraction of its size; one JSON
# document beyond it is reported, not read.
set -u
B=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
LIMIT=$((1024 * 1024 * 1024))

head -c 1G /dev/zero | gzip -1 > "$T/bomb.gz"
# The same bomb with its trailer's size field forged small.
python3 - "$T/bomb.gz" "$T/forged.gz" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
data[-4:] = (100).to_bytes(4, "little")
open(sys.argv[2], "wb").write(data)
PY
for bomb in bomb.gz forged.gz; do
  prlimit --as=$LIMIT "$B" hunt "$T/$bomb" "$SRC/examples/logs" > "$T/out" 2> "$T/err"
  rc=$?
  [ $rc = 0 ] || fail "$bomb: exit $rc: $(tail -3 "$T/err")"
  grep -q "$bomb at byte 0: neither CloudTrail JSON nor a VPC flow log" "$T/err" \
    || fail "$bomb not reported: $(cat "$T/err")"
  grep -q "CloudTrail logging stopped" "$T/out" || fail "$bomb: the other inputs were not read"
  prlimit --as=$LIMIT "$B" hunt --strict "$T/$bomb" > /dev/null 2>&1
  [ $? = 1 ] || fail "$bomb: --strict does not exit 1"
done

python3 - "$T/big.jsonl" "$T/records.json" <<'PY'
import json, sys
ev = {"eventVersion": "1.09", "eventTime": "2026-11-20T10:00:00Z", "eventSource": "s3.amazonaws.com",
      "eventName": "GetObject", "awsRegion": "eu-west-1", "sourceIPAddress": "203.0.113.9",
      "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/eve"},
      "requestParameters": {"bucketName": "b", "key": "k" * 200}}
line = json.dumps(ev) + "\n"
n = 100 * 1024 * 1024 // len(line)
with open(sys.argv[1], "w") as f:
    f.write(line * n)
with open(sys.argv[2], "w") as f:
    f.write('{"Records":[' + ",".join([json.dumps(ev)] * 40000) + "]}")
print(n, file=open(sys.argv[1] + ".n", "w"))
PY
N=$(cat "$T/big.jsonl.n")
/usr/bin/time -f "%M" -o "$T/rss" "$B" hunt --max-document-mb 8 "$T/big.jsonl" > /dev/null 2> "$T/err" \
  || fail "streamed hunt exit $?: $(cat "$T/err")"
grep -q "hunt: $N events" "$T/err" || fail "streamed: not every event read: $(cat "$T/err")"
RSS=$(tail -1 "$T/rss")
[ "$RSS" -lt 60000 ] || fail "streaming 100 MB held ${RSS} KB"
echo "streamed 100 MB of JSON lines in ${RSS} KB"

"$B" hunt --max-document-mb 1 "$T/records.json" > /dev/null 2> "$T/err"
grep -q "records.json at byte 0: one JSON document of more than 1 MiB; file skipped" "$T/err" \
  || fail "large document not reported: $(cat "$T/err")"
"$B" hunt "$T/records.json" > /dev/null 2> "$T/err" || fail "records exit $?"
grep -q "hunt: 40000 events" "$T/err" || fail "records under the limit: $(cat "$T/err")"
echo "ok"
