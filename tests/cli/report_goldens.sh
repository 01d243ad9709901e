#!/usr/bin/env bash
# Every report format on the demo snapshot (s3, kms and iam checks, with the demo mutelist)
# against its golden file in examples/reports/ (the JSON's snapshot file path, the one thing
# that depends on where the build is, is left out). Rewrite them after an intended change:
#   build/bulwark scan --snapshot build/demo-account.db --services s3,kms,iam \
#     --mutelist examples/mutelist/demo-mutes.yaml \
#     --format html,json,sarif,junit,asff,ocsf,csv --output-dir examples/reports
#   python3 -c 'import json; p="examples/reports/report.json"; d=json.load(open(p)); \
#     d["snapshot"].pop("file"); open(p,"w").write(json.dumps(d, indent=2) + "\n")'
set -u
B=$1
SRC=$2
DEMO=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$B" scan --snapshot "$DEMO" --services s3,kms,iam --mutelist "$SRC/examples/mutelist/demo-mutes.yaml" \
  --format html,json,sarif,junit,asff,ocsf,csv --output-dir "$T" 2> /dev/null \
  || { echo "FAIL: scan exit $?"; exit 1; }
python3 -c 'import json,sys; p=sys.argv[1]; d=json.load(open(p)); d["snapshot"].pop("file"); open(p,"w").write(json.dumps(d, indent=2) + "\n")' "$T/report.json"
rc=0
for f in report.html report.json report.sarif report.junit.xml report.asff.json report.ocsf.jsonl report.csv; do
  if ! diff -u "$SRC/examples/reports/$f" "$T/$f" > "$T/diff"; then
    echo "FAIL: $f differs from examples/reports/$f:"; head -40 "$T/diff"; rc=1
  fi
done
# The formats parse as what they claim to be.
python3 - "$T" <<'PY' || rc=1
import json, sys, xml.dom.minidom
d = sys.argv[1]
sarif = json.load(open(d + "/report.sarif"))
assert sarif["version"] == "2.1.0" and sarif["runs"][0]["tool"]["driver"]["rules"]
rules = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
for r in sarif["runs"][0]["results"]:
    assert r["ruleId"] in rules and r["level"] in ("error", "warning", "note")
asff = json.load(open(d + "/report.asff.json"))
for f in asff:
    for k in ("SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "Types",
              "CreatedAt", "UpdatedAt", "Severity", "Title", "Description", "Resources"):
        assert k in f, k
for line in open(d + "/report.ocsf.jsonl"):
    e = json.loads(line)
    assert e["class_uid"] == 2003 and e["type_uid"] == 200301
xml.dom.minidom.parse(d + "/report.junit.xml")
PY
[ $rc -eq 0 ] && echo "report goldens: ok"
exit $rc
