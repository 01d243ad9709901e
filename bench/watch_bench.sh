#!/usr/bin/env bash
# Watch benchmark: what a watch cycle adds to collect + scan. Serves the collect benchmark's
# synthetic account (17 regions, about 2,000 resources, --latency-ms per call) and times,
# ROUNDS times each, `bulwark scan` (collect and scan) against `bulwark watch --once` (collect,
# scan, record in the history, work out the changes, queue and send notifications to a
# webhook). Then the incremental hunt: a log directory of FILES CloudTrail files is read by
# one cycle, one more file arrives, and the next cycle's bytes read are printed (only the new
# file's). Prints medians and the overhead. Usage: bench/watch_bench.sh [BUILD_DIR] [ROUNDS]
set -euo pipefail
BUILD=${1:-build}
ROUNDS=${2:-5}
FILES=${FILES:-50}
B=$BUILD/bulwark
T=$(mktemp -d)
"$BUILD/bench/collect_bench" --serve --latency-ms "${LATENCY_MS:-5}" > "$T/url" &
SERVER=$!
# A webhook receiver answering 200 to every POST.
python3 - "$T/hook.port" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.serve_forever()
PY
HOOK=$!
trap 'kill $SERVER $HOOK 2>/dev/null || true; rm -rf "$T"' EXIT
for _ in $(seq 100); do [ -s "$T/url" ] && [ -s "$T/hook.port" ] && break; sleep 0.1; done
URL=$(head -1 "$T/url")
export AWS_ACCESS_KEY_ID=AKIDREPLAYEXAMPLE AWS_SECRET_ACCESS_KEY=replay/secret/key/EXAMPLEKEY
export AWS_EC2_METADATA_DISABLED=true HOOK_URL="http://127.0.0.1:$(cat "$T/hook.port")/hook"
printf 'routes:\n  - name: hook\n    json_webhook: env:HOOK_URL\n' > "$T/notify.yaml"

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { print b - a }'; }
scan_times=() watch_times=()
for i in $(seq "$ROUNDS"); do
  s=$(now); "$B" scan --endpoint-url "$URL" --regions all --quiet -f json -o "$T/r.json" 2>/dev/null || true
  scan_times+=("$(since "$s")")
  s=$(now); "$B" watch --once --endpoint-url "$URL" --regions all --quiet --history "$T/h.db" \
    --notify "$T/notify.yaml" 2>/dev/null
  watch_times+=("$(since "$s")")
done
SCAN=$(printf '%s\n' "${scan_times[@]}" | median)
WATCH=$(printf '%s\n' "${watch_times[@]}" | median)
echo "watch_bench: synthetic account, ${ROUNDS} rounds each, ${LATENCY_MS:-5} ms per call"
printf '  collect + scan (bulwark scan)        median %.2f s\n' "$SCAN"
printf '  watch cycle (bulwark watch --once)   median %.2f s   (%+.1f%%)\n' "$WATCH" \
  "$(awk -v w="$WATCH" -v s="$SCAN" 'BEGIN { print (w - s) * 100 / s }')"

# Incremental hunt: FILES files read once, then only the one that arrives.
mkdir -p "$T/logs"
python3 - "$T/logs" "$FILES" <<'PY'
import json, sys
d, n = sys.argv[1], int(sys.argv[2])
ev = {"eventVersion": "1.09", "eventTime": "2026-12-01T10:00:00Z", "eventSource": "s3.amazonaws.com",
      "eventName": "GetObject", "awsRegion": "eu-west-1", "sourceIPAddress": "203.0.113.9",
      "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/u"}}
for i in range(n + 1):
    name = f"{d}/f{i:04d}.json" if i < n else f"{d}/.later"
    open(name, "w").write(json.dumps({"Records": [ev] * 20000}))
PY
SNAP=$T/snap.db
"$B" collect --endpoint-url "$URL" --regions us-east-1 --quiet --out "$SNAP" 2>/dev/null
"$B" watch --once --snapshot "$SNAP" --history "$T/h2.db" --logs "$T/logs" 2> "$T/first.log"
mv "$T/logs/.later" "$T/logs/f9999.json"
"$B" watch --once --snapshot "$SNAP" --history "$T/h2.db" --logs "$T/logs" 2> "$T/second.log"
echo "  incremental hunt, first cycle:  $(grep 'log file' "$T/first.log" | sed 's/bulwark watch: //')"
echo "  incremental hunt, next cycle:   $(grep 'log file' "$T/second.log" | sed 's/bulwark watch: //')"
