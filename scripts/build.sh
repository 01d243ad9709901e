#!/usr/bin/env bash
# Configures and builds bulwark (warnings are errors) into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBULWARK_WERROR=ON >/dev/null
cmake --build build -j"$(nproc)"
