#!/usr/bin/env bash
# bulwark hunt from the command line: directories, standard input, formats, the summary,
# warnings and --strict, and a missing rules directory.
set -u
B=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$B" hunt "$SRC/examples/logs" -f jsonl > "$T/out" 2> "$T/err" || fail "hunt exit $?"
grep -q '"title":"CloudTrail logging stopped, trail deleted or changed"' "$T/out" || fail "no StopLogging alert"
grep -q '"title":"Port scan: one source, many destination ports"' "$T/out" || fail "no port scan alert"
grep -q "hunt: 124 events" "$T/err" || fail "footer: $(cat "$T/err")"
# Every line is one JSON document; CloudTrail events are objects, flow log lines strings.
python3 - "$T/out" <<'PY' || fail "jsonl is not valid JSON lines"
import json, sys
kinds = set()
for line in open(sys.argv[1]):
    alert = json.loads(line)
    for e in alert["events"]:
        kinds.add(type(e).__name__)
assert kinds == {"dict", "str"}, kinds
PY

gzip -dc "$SRC"/examples/logs/AWSLogs/*/CloudTrail/*/*/*/*/*demo0.json.gz | "$B" hunt - -f csv > "$T/csv" 2>/dev/null \
  || fail "stdin exit $?"
head -1 "$T/csv" | grep -q '^time,level,rule_id,title' || fail "csv header"
grep -q "Access key created for another user" "$T/csv" || fail "stdin alert"

"$B" hunt --summary -f json "$SRC/examples/logs" > "$T/sum" 2>/dev/null || fail "summary exit"
grep -q '"arn:aws:iam::111122223333:user/mallory"' "$T/sum" || fail "summary principal"

printf 'not a log\n' > "$T/bad.txt"
printf '{"Records":[{"eventName":"StopLogging","eventTime":"2026-11-20T10:00:00Z"}]}\n' > "$T/good.json"
"$B" hunt "$T" > /dev/null 2> "$T/err"; code=$?
[ $code -eq 0 ] || fail "warnings should exit 0, got $code"
grep -q "bad.txt at byte 0: neither CloudTrail" "$T/err" || fail "warning text: $(cat "$T/err")"
"$B" hunt --strict "$T" > /dev/null 2>&1; [ $? -eq 1 ] || fail "--strict should exit 1"

"$B" hunt --rules "$T/no-such-rules" "$T" > /dev/null 2> "$T/err"; [ $? -eq 1 ] || fail "no rules"
grep -q "no such rule file or directory" "$T/err" || fail "rules error: $(cat "$T/err")"
"$B" hunt > /dev/null 2>&1; [ $? -eq 2 ] || fail "missing path should be a usage error"
echo "hunt cli: ok"
