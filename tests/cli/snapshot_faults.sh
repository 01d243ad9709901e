#!/usr/bin/env bash
# A half-written snapshot is never scanned as clean: scan, query and iam refuse an empty
# file, a non-SQLite file, a schema-only database and a killed collect's partial file; a
# collect stopped by SIGTERM or SIGINT removes its partial file; --out a directory fails
# before collecting.
set -uo pipefail
bulwark=$1
tmp=$(mktemp -d)
trap 'kill $server 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

refused() {  # FILE WHAT: every reader exits 1 naming the file
  local file=$1 what=$2
  for cmd in "scan --snapshot $file" "query $file SELECT\ 1" "iam admins $file"; do
    out=$(eval "$bulwark $cmd" 2>&1); rc=$?
    [[ $rc == 1 ]] || fail "$cmd on $what: exit $rc, want 1 ($out)"
    [[ $out == *"$(basename "$file")"* ]] || fail "$cmd on $what does not name the file: $out"
  done
}

: >"$tmp/empty.db"
refused "$tmp/empty.db" "an empty file"
echo "not a database" >"$tmp/text.db"
refused "$tmp/text.db" "a text file"
sqlite3 "$tmp/schema-only.db" "CREATE TABLE aws_iam_user (name TEXT); CREATE TABLE snapshot_info (account_id TEXT);"
refused "$tmp/schema-only.db" "a schema-only database"

# An endpoint that accepts and never answers holds collect while its partial file exists.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16); held = []
while True:
    c, _ = s.accept(); held.append(c)
' "$port" &
server=$!
sleep 0.5
for sig in TERM INT; do
  AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret AWS_EC2_METADATA_DISABLED=true \
    "$bulwark" collect --out "$tmp/acct.db" --endpoint-url "http://127.0.0.1:$port" \
    --regions us-east-1 --quiet 2>/dev/null &
  pid=$!
  for _ in $(seq 50); do compgen -G "$tmp/acct.db.*.partial" >/dev/null && break; sleep 0.1; done
  partial=$(compgen -G "$tmp/acct.db.*.partial" | head -1)
  [[ -n $partial ]] || fail "no partial file while collecting"
  cp "$partial" "$tmp/left.partial"
  kill -s "$sig" $pid
  wait $pid 2>/dev/null
  compgen -G "$tmp/acct.db.*.partial" >/dev/null && fail "SIG$sig left $partial behind"
  [[ -e $tmp/acct.db ]] && fail "SIG$sig left a snapshot under the final name"
done
refused "$tmp/left.partial" "a killed collect's partial file"

mkdir "$tmp/dir.db"
out=$(AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=secret \
  timeout 20 "$bulwark" collect --out "$tmp/dir.db" --endpoint-url "http://127.0.0.1:$port" 2>&1)
rc=$?
[[ $rc == 1 && $out == *"is a directory"* ]] || fail "collect --out DIR: exit $rc: $out"
echo "snapshot faults: ok"
