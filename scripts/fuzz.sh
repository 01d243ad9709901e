#!/usr/bin/env bash
# Runs every fuzz target for FUZZ_SECONDS each (default 3600), as many at once as there are
# cores, then merges what each found into its corpus in tests/fuzz/seeds/<target> (only
# inputs that reach new code are added). A crash leaves its input in build/fuzz-artifacts/
# and makes the script exit 1. Usage: scripts/fuzz.sh [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${FUZZ_SECONDS:-3600}
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(cloudtrail flowlog sigma policy aws mutelist check ini)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target bulwark_fuzz_build
FUZZ=$PWD/build/tests/bulwark_fuzz
WORK=build/fuzz-work
ART=build/fuzz-artifacts
mkdir -p "$ART"

run() {
  local t=$1
  mkdir -p "$WORK/$t"
  BULWARK_FUZZ_TARGET=$t "$FUZZ" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=4096 -malloc_limit_mb=1024 \
    -print_final_stats=1 -artifact_prefix="$ART/$t-" "$WORK/$t" "tests/fuzz/seeds/$t" \
    > "$WORK/$t.log" 2>&1
}

failed=()
pids=()
names=()
for t in "${TARGETS[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$(nproc)" ]; do sleep 5; done
  echo "fuzzing $t for ${SECONDS_EACH}s (log: $WORK/$t.log)"
  run "$t" &
  pids+=($!)
  names+=("$t")
done
for i in "${!pids[@]}"; do
  if ! wait "${pids[$i]}"; then failed+=("${names[$i]}"); fi
done

for t in "${TARGETS[@]}"; do
  BULWARK_FUZZ_TARGET=$t "$FUZZ" -merge=1 "tests/fuzz/seeds/$t" "$WORK/$t" > "$WORK/$t.merge.log" 2>&1 || true
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$WORK/$t.log" | awk '{print $2}')
  echo "$t: ${runs:-?} runs, corpus $(ls "tests/fuzz/seeds/$t" | wc -l) files"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "crashed: ${failed[*]} (inputs in $ART, logs in $WORK)"
  exit 1
fi
echo "no crash"
