#!/usr/bin/env bash
# For people: renders the demo snapshot's HTML report in headless Chromium and saves a
# screenshot (build/report.png) next to the report (build/report.html).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BULWARK_BUILD_DIR:-build}
"$BUILD/bulwark" scan --snapshot "$BUILD/demo-account.db" \
  --mutelist examples/mutelist/demo-mutes.yaml -f html -o "$BUILD/report.html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,2200 \
  --screenshot="$BUILD/report.png" "file://$PWD/$BUILD/report.html" 2> /dev/null
echo "report: $BUILD/report.html  screenshot: $BUILD/report.png"
