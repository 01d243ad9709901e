#!/usr/bin/env bash
# The SARIF report on the demo snapshot validated against the SARIF 2.1.0 JSON schema with
# ajv. Exits 77 (skipped) when node or the tools scripts/install-deps.sh puts in .tools/
# are missing.
set -u
B=$1
SRC=$2
DEMO=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
MODULES="$SRC/.tools/node_modules"
if ! command -v node > /dev/null || [ ! -d "$MODULES/ajv" ]; then
  echo "SKIP: node or $MODULES is missing (scripts/install-deps.sh installs them)"
  exit 77
fi
"$B" scan --snapshot "$DEMO" --mutelist "$SRC/examples/mutelist/demo-mutes.yaml" -f sarif \
  -o "$T/r.sarif" 2> /dev/null || { echo "FAIL: scan"; exit 1; }
node "$SRC/tests/cli/validate_sarif.js" "$MODULES" "$T/r.sarif"
