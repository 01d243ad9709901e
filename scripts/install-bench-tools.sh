#!/usr/bin/env bash
# Installs what build/bench/hunt_bench compares bulwark hunt with: jq (Debian) and DuckDB
# through node (Debian's nodejs and npm, @duckdb/node-api from the npm registry, into
# build/bench-tools). Not needed to build or test bulwark.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
need=()
command -v jq >/dev/null || need+=(jq)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
mkdir -p build/bench-tools
npm install --prefix build/bench-tools --no-audit --no-fund @duckdb/node-api
