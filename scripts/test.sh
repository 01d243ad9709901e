#!/usr/bin/env bash
# Builds bulwark and runs the whole test suite (unit, integration and command-line tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 600
