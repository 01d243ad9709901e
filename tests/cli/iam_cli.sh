#!/usr/bin/env bash
# bulwark iam from the command line, on the example account and the demo snapshot:
# decisions with their statements, wildcard actions, who-can, admins, public grants,
# escalation paths (text, JSON, Graphviz), SCP and session policy files, and bad input.
set -u
B=$1
SRC=$2
DEMO=$3
A="$SRC/examples/iam/account-authorization-details.json"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$B" iam --from-authz "$A" can bob iam:CreateAccessKey arn:aws:iam::111122223333:user/alice > "$T/out" \
  || fail "can exit $?"
grep -q "^ALLOW: user/bob iam:CreateAccessKey" "$T/out" || fail "can: $(cat "$T/out")"
grep -q "identity policy user/bob (inline support-keys), statement 1 (Allow)" "$T/out" || fail "reason"
"$B" iam --from-authz "$A" can judy iam:CreateUser > "$T/out" || fail "can judy"
grep -q "^DENY (implicit)" "$T/out" && grep -q "permissions boundary does not allow" "$T/out" \
  || fail "boundary: $(cat "$T/out")"
"$B" iam --from-authz "$A" -f json can alice s3:GetObject arn:aws:s3:::x/y --context aws:SourceIp=10.0.0.1 \
  > "$T/out" || fail "can json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["decision"]=="ALLOW", d' "$T/out" \
  || fail "json decision"
printf '[{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}},{"Statement":{"Sid":"NoIam","Effect":"Deny","Action":"iam:*","Resource":"*"}}]' > "$T/scp.json"
"$B" iam --from-authz "$A" can alice iam:CreateUser --scp "$T/scp.json" > "$T/out" || fail "scp"
grep -q "DENY (explicit)" "$T/out" && grep -q "NoIam" "$T/out" || fail "scp deny: $(cat "$T/out")"
printf '{"Statement":{"Effect":"Allow","Action":"s3:*","Resource":"*"}}' > "$T/session.json"
"$B" iam --from-authz "$A" can ec2-admin iam:CreateUser --session-policy "$T/session.json" > "$T/out" \
  || fail "session"
grep -q "session policy does not allow" "$T/out" || fail "session deny: $(cat "$T/out")"
"$B" iam --from-authz "$A" can carol 's3:Get*' > "$T/out" || fail "wildcard can"
grep -q "Read .* of .* allowed" "$T/out" || fail "levels: $(head -3 "$T/out")"

"$B" iam --from-authz "$A" who-can sts:AssumeRole arn:aws:iam::111122223333:role/deployer > "$T/out" \
  || fail "who-can"
grep -q "user/erin" "$T/out" && grep -q "role/github-deploy" "$T/out" || fail "who-can: $(cat "$T/out")"
"$B" iam --from-authz "$A" admins > "$T/out" || fail "admins"
grep -q "6 administrator(s) among 16 principals" "$T/out" || fail "admins: $(cat "$T/out")"
"$B" iam --from-authz "$A" escalation > "$T/out" || fail "escalation"
grep -q "9 principal(s) can escalate to administrator" "$T/out" || fail "escalation: $(cat "$T/out")"
grep -q "iam:PassRole + ec2:RunInstances" "$T/out" || fail "passrole path"
"$B" iam --from-authz "$A" -f dot escalation > "$T/dot" || fail "dot"
head -1 "$T/dot" | grep -q "^digraph escalation {" || fail "dot header"
"$B" iam --from-authz "$A" -f json escalation | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d["paths"])==9' \
  || fail "escalation json"
"$B" iam --from-authz "$A" public > "$T/out" || fail "public"
grep -q "account 777788889999" "$T/out" || fail "public: $(cat "$T/out")"
"$B" iam actions 'iam:*LoginProfile' > "$T/out" || fail "actions"
grep -q "iam:CreateLoginProfile .*Permissions management" "$T/out" || fail "actions: $(cat "$T/out")"

# Options of `iam` may also follow the subcommand.
"$B" iam admins --from-authz "$A" -f json | python3 -c 'import json,sys; assert len(json.load(sys.stdin)["admins"]) == 6' \
  || fail "options after the subcommand"

# The demo snapshot.
"$B" iam public "$DEMO" > "$T/out" || fail "demo public"
grep -q "arn:aws:s3:::acme-web" "$T/out" || fail "demo public: $(cat "$T/out")"
"$B" iam can "$DEMO" ops-admin iam:CreateUser | grep -q "^ALLOW" || fail "demo can"

# Bad input: exit 1 with the file or name in the message, 2 for usage.
"$B" iam --from-authz "$T/missing.json" admins 2> "$T/err"; [ $? -eq 1 ] || fail "missing authz exit"
grep -q "missing.json" "$T/err" || fail "missing authz message: $(cat "$T/err")"
"$B" iam --from-authz "$A" can nobody s3:GetObject 2> "$T/err"; [ $? -eq 1 ] || fail "unknown principal"
grep -q "no user or role 'nobody'" "$T/err" || fail "unknown principal message"
"$B" iam --from-authz "$A" can alice s3:GetObject --context novalue 2> "$T/err"; [ $? -eq 2 ] || fail "bad context"
"$B" iam can 2> /dev/null; [ $? -eq 2 ] || fail "can without arguments"
"$B" iam --from-authz "$A" can alice s3:GetObject --scp "$T/nope.json" 2> "$T/err"; [ $? -eq 1 ] || fail "missing scp"
grep -q "nope.json" "$T/err" || fail "missing scp message"
"$B" iam admins "$T/no.db" 2> "$T/err"; [ $? -eq 1 ] || fail "missing snapshot"
grep -q "no.db" "$T/err" || fail "missing snapshot message: $(cat "$T/err")"
echo "iam cli: ok"
