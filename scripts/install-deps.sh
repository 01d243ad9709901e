#!/usr/bin/env bash
# Installs everything bulwark needs to build and test, from Debian's packages only.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PACKAGES=(
  g++ cmake make pkg-config python3
  libssl-dev libcurl4-openssl-dev libsqlite3-dev sqlite3
  nlohmann-json3-dev libpugixml-dev libfmt-dev libcli11-dev libcpp-httplib-dev
  libsimdjson-dev libyaml-cpp-dev libre2-dev libdeflate-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
