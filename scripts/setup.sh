#!/usr/bin/env bash
# One command for a fresh Debian machine: install the dependencies, build, run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh
bash scripts/demo.sh
