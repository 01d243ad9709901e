#!/usr/bin/env bash
# The demo: `bulwark collect` against the bundled, deliberately insecure demo account
# (recorded AWS responses served on 127.0.0.1 by bulwark-replay, which checks every
# request's SigV4 signature), a few questions asked of the snapshot with `bulwark query`,
# the posture checks with `bulwark scan`, IAM reasoning with `bulwark iam` (on the
# snapshot, and on the example account in examples/iam, which holds one principal per
# privilege-escalation method), then `bulwark hunt` over the bundled CloudTrail and VPC
# flow logs (examples/logs).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BULWARK_BUILD_DIR:-build}
B=$BUILD/bulwark
OUT=$BUILD/demo-collected.db

rm -f "$BUILD/replay.url"
"$BUILD/bulwark-replay" examples/demo-account > "$BUILD/replay.url" 2> "$BUILD/replay.log" &
REPLAY=$!
trap 'kill $REPLAY 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$BUILD/replay.url" ] && break; sleep 0.1; done
URL=$(head -1 "$BUILD/replay.url")

export AWS_ACCESS_KEY_ID=AKIDREPLAYEXAMPLE AWS_SECRET_ACCESS_KEY=replay/secret/key/EXAMPLEKEY
export AWS_EC2_METADATA_DISABLED=true
echo "== bulwark collect --endpoint-url $URL --regions us-east-1,eu-west-1 --out $OUT"
$B collect --endpoint-url "$URL" --regions us-east-1,eu-west-1 --out "$OUT"

q() { echo; echo "== $1"; $B query "$OUT" "$2"; }
q "Who holds administrator rights through attached or inline policies?" \
  "SELECT u.name, 'attached AdministratorAccess' AS how FROM aws_iam_user u, json_each(u.attached_policy_arns) p
     WHERE p.value LIKE '%/AdministratorAccess'
   UNION ALL
   SELECT u.name, 'inline ' || json_extract(p.value, '$.PolicyName') FROM aws_iam_user u, json_each(u.inline_policies) p
     WHERE json_extract(p.value, '$.PolicyDocument.Statement[0].Action') = '*'"
q "Root user: access keys and MFA" \
  "SELECT account_access_keys_present AS root_keys, account_mfa_enabled AS root_mfa FROM aws_iam_account_summary"
q "Console users without MFA" \
  "SELECT user_name, password_last_used FROM aws_iam_credential_report
   WHERE password_enabled = 'true' AND NOT mfa_active"
q "Security groups open to the internet on SSH or RDP (bulwark's SQL functions)" \
  "SELECT region, group_id, group_name, from_port, to_port, ifnull(cidr_ipv4, cidr_ipv6) AS source
   FROM aws_vpc_security_group_rule
   WHERE NOT is_egress AND (cidr_is_world(cidr_ipv4) OR cidr_is_world(cidr_ipv6))
     AND (ip_protocol = '-1' OR port_range_includes(from_port, to_port, 22)
          OR port_range_includes(from_port, to_port, 3389))"
q "Resources whose policy is open to everyone" \
  "SELECT 's3' AS service, name, policy_public_actions(policy) AS actions FROM aws_s3_bucket WHERE policy_allows_public(policy)
   UNION ALL SELECT 'lambda', name, policy_public_actions(policy) FROM aws_lambda_function WHERE policy_allows_public(policy)
   UNION ALL SELECT 'kms', id, policy_public_actions(policy) FROM aws_kms_key WHERE policy_allows_public(policy)"
q "Customer KMS keys without rotation" \
  "SELECT region, id, description, key_state FROM aws_kms_key
   WHERE key_manager = 'CUSTOMER' AND ifnull(key_rotation_enabled, 0) = 0"
echo
echo "== bulwark scan --snapshot $OUT"
$B scan --snapshot "$OUT"

echo
echo "== bulwark scan --snapshot $OUT --mutelist examples/mutelist/demo-mutes.yaml --format html,json,sarif,junit,asff,ocsf --output-dir $BUILD/demo-reports"
$B scan --snapshot "$OUT" --mutelist examples/mutelist/demo-mutes.yaml \
  --format html,json,sarif,junit,asff,ocsf --output-dir "$BUILD/demo-reports"
echo "(open $BUILD/demo-reports/report.html in a browser)"

echo
echo "== bulwark iam can $OUT analyst s3:GetObject arn:aws:s3:::acme-web/index.html"
$B iam can "$OUT" analyst s3:GetObject arn:aws:s3:::acme-web/index.html
echo
echo "== bulwark iam public $OUT"
$B iam public "$OUT"
AUTHZ=examples/iam/account-authorization-details.json
echo
echo "== bulwark iam --from-authz $AUTHZ admins"
$B iam --from-authz "$AUTHZ" admins
echo
echo "== bulwark iam --from-authz $AUTHZ escalation"
$B iam --from-authz "$AUTHZ" escalation
echo
echo "== bulwark iam --from-authz $AUTHZ who-can s3:GetObject arn:aws:s3:::acme-reports/q4.pdf"
$B iam --from-authz "$AUTHZ" who-can s3:GetObject arn:aws:s3:::acme-reports/q4.pdf

echo
echo "== bulwark hunt examples/logs   (bundled CloudTrail and VPC flow logs, built-in Sigma rules)"
$B hunt examples/logs
echo
echo "== bulwark hunt --summary examples/logs   (first lines; all of it in $BUILD/hunt-summary.txt)"
$B hunt --summary examples/logs -o "$BUILD/hunt-summary.txt" 2>/dev/null
sed -n 1,24p "$BUILD/hunt-summary.txt"
echo
echo "The snapshot is $OUT; explore it with: $B query $OUT \"SELECT * FROM snapshot_tables\""
