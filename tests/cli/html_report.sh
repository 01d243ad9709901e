#!/usr/bin/env bash
# The HTML report on the demo snapshot: self-contained (no fetches), every section and check
# present, and, in headless Chromium, the script running: the filters given in the URL
# leave exactly the matching rows. Exits 77 (skipped) when Chromium is not installed.
set -u
B=$1
SRC=$2
DEMO=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$B" scan --snapshot "$DEMO" --mutelist "$SRC/examples/mutelist/demo-mutes.yaml" -f html,json \
  --output-dir "$T" 2> /dev/null || fail "scan exit $?"
H="$T/report.html"
grep -Eiq '<script[^>]+src=|<link[^>]+rel="?stylesheet|<img[^>]+src="?https?:|@import|url\(|fetch\(|XMLHttpRequest' "$H" \
  && fail "the report fetches something"
python3 - "$T" <<'PY' || fail "report structure"
import json, sys, html.parser
d = sys.argv[1]
report = json.load(open(d + "/report.json"))
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.ids = set(); self.rows = 0; self.statuses = {}
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a: self.ids.add(a["id"])
        if tag == "tr" and "data-status" in a:
            self.rows += 1; self.statuses[a["data-status"]] = self.statuses.get(a["data-status"], 0) + 1
p = P(); p.feed(open(d + "/report.html").read())
for i in ("overview", "findings", "checks", "f-status", "f-severity", "f-service", "f-region",
          "f-text", "chart-severity", "chart-service", "chart-region", "chart-compliance"):
    assert i in p.ids, i
assert p.rows == len(report["findings"]), (p.rows, len(report["findings"]))
for s, n in report["summary"]["by_status"].items():
    assert p.statuses.get(s, 0) == n, (s, n, p.statuses.get(s))
for f in report["findings"]:
    assert "check-" + f["check_id"] in p.ids, f["check_id"]
PY
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  echo "SKIP: chromium is not installed (scripts/install-deps.sh installs it); the DOM check did not run"
  exit 77
fi
want=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sum(1 for f in r["findings"] if f["status"]=="FAIL" and f["service"]=="s3"))' "$T/report.json")
timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --dump-dom \
  "file://$H?status=FAIL&service=s3" > "$T/dom.html" 2> "$T/chromium.log" || fail "chromium: $(tail -3 "$T/chromium.log")"
grep -q 'data-ready="1"' "$T/dom.html" || fail "the report's script did not run"
grep -q "<span id=\"shown\">$want</span>" "$T/dom.html" || fail "filter shows $(grep -o '<span id="shown">[0-9]*' "$T/dom.html"), want $want"
visible=$(grep -o '<tr data-status="[A-Z]*"[^>]*>' "$T/dom.html" | grep -vc 'hidden')
[ "$visible" -eq "$want" ] || fail "$visible rows visible, want $want"
echo "html report: ok ($want rows after filtering in Chromium)"
