#!/usr/bin/env bash
# bulwark as packagers and users install it: `cmake --install` into a prefix, then scan,
# hunt and iam from the installed copy with its own checks, rules and action table; the
# Debian package from `cpack -G DEB` holds the same plus the man page and completions, and
# works unpacked. Usage: install_package.sh BUILD_DIR
set -u
BUILD=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cmake --install "$BUILD" --prefix "$T/prefix" > "$T/install.log" 2>&1 || fail "install: $(tail -3 "$T/install.log")"
P=$T/prefix
for f in bin/bulwark share/bulwark/iam-actions.tsv share/man/man1/bulwark.1.gz \
         share/bash-completion/completions/bulwark share/zsh/vendor-completions/_bulwark; do
  [ -s "$P/$f" ] || fail "not installed: $f"
done
[ "$(find "$P/share/bulwark/checks" -name '*.yaml' | wc -l)" -gt 100 ] || fail "checks not installed"
[ "$(find "$P/share/bulwark/checks" -name '*.test.yaml' | wc -l)" = 0 ] || fail "check fixtures installed"
[ "$(find "$P/share/bulwark/rules" -name '*.yml' | wc -l)" -gt 10 ] || fail "rules not installed"

# The installed binary reads the installed data: a check added there appears in `checks list`.
cp "$P/share/bulwark/checks/s3/s3_bucket_versioning_enabled.yaml" "$P/share/bulwark/checks/s3/x.yaml"
sed -i 's/^id: s3_bucket_versioning_enabled/id: installed_copy_marker/' "$P/share/bulwark/checks/s3/x.yaml"
env -u BULWARK_CHECKS_DIR "$P/bin/bulwark" checks list > "$T/list" 2>&1 || fail "checks list: $(cat "$T/list")"
grep -q installed_copy_marker "$T/list" || fail "the installed binary does not read the installed checks"
rm "$P/share/bulwark/checks/s3/x.yaml"

"$BUILD/bulwark" scan --snapshot "$BUILD/demo-account.db" -f json -o "$T/build.json" 2>/dev/null
"$P/bin/bulwark" scan --snapshot "$BUILD/demo-account.db" -f json -o "$T/installed.json" 2>"$T/err"
python3 - "$T/build.json" "$T/installed.json" <<'PY' || fail "installed scan differs"
import json, sys
a, b = (json.load(open(p))["findings"] for p in sys.argv[1:])
key = lambda f: (f["check_id"], f["region"], f["resource_id"], f["status"])
assert len(a) > 100 and sorted(map(key, a)) == sorted(map(key, b)), (len(a), len(b))
PY
SRC=$(cd "$(dirname "$0")/../.." && pwd)
"$P/bin/bulwark" hunt "$SRC/examples/logs" > "$T/hunt" 2>&1 || fail "installed hunt: $(tail -3 "$T/hunt")"
grep -q "CloudTrail logging stopped" "$T/hunt" || fail "installed hunt found nothing"
"$P/bin/bulwark" iam actions 's3:GetObj*' > "$T/actions" 2>&1 || fail "installed iam actions"
grep -q "s3:GetObject" "$T/actions" || fail "installed action table not read"

# Man page and completions.
gzip -dc "$P/share/man/man1/bulwark.1.gz" | grep -q '^\.SS bulwark iam who\\-can' || fail "man page lacks iam who-can"
bash -c "source '$P/share/bash-completion/completions/bulwark'; COMP_WORDS=(bulwark iam wh); COMP_CWORD=2; _bulwark; echo \"\${COMPREPLY[@]}\"" > "$T/comp"
grep -qx "who-can" "$T/comp" || fail "bash completion: $(cat "$T/comp")"
if command -v zsh > /dev/null; then
  zsh -n "$P/share/zsh/vendor-completions/_bulwark" || fail "zsh completion does not parse"
fi
grep -q "'iam who-can'" "$P/share/zsh/vendor-completions/_bulwark" || fail "zsh completion lacks iam who-can"

# The Debian package.
(cd "$BUILD" && cpack -G DEB -B "$T/deb" > "$T/cpack.log" 2>&1) || fail "cpack: $(tail -5 "$T/cpack.log")"
DEB=$(ls "$T"/deb/bulwark_*.deb 2>/dev/null | head -1)
[ -n "$DEB" ] || fail "no .deb: $(tail -5 "$T/cpack.log")"
dpkg-deb -f "$DEB" Depends | grep -q libcurl || fail "package dependencies: $(dpkg-deb -f "$DEB" Depends)"
dpkg-deb -c "$DEB" > "$T/contents"
for f in ./usr/bin/bulwark ./usr/share/man/man1/bulwark.1.gz ./usr/share/bulwark/iam-actions.tsv \
         ./usr/share/bash-completion/completions/bulwark ./usr/share/zsh/vendor-completions/_bulwark \
         ./usr/share/bulwark/rules/ ./usr/share/bulwark/checks/s3/s3_bucket_versioning_enabled.yaml; do
  grep -q " $f" "$T/contents" || fail "package lacks $f"
done
dpkg-deb -x "$DEB" "$T/root"
"$T/root/usr/bin/bulwark" scan --snapshot "$BUILD/demo-account.db" -f json -o "$T/deb.json" 2>/dev/null
python3 - "$T/build.json" "$T/deb.json" <<'PY' || fail "packaged scan differs"
import json, sys
a, b = (json.load(open(p))["findings"] for p in sys.argv[1:])
assert len(a) == len(b), (len(a), len(b))
PY
echo "ok: $(basename "$DEB"), $(du -h "$DEB" | cut -f1)"
