#!/usr/bin/env bash
# Installs everything bulwark needs to build and test, from Debian's packages (and, for the
# report tests, two npm packages: ajv and the SARIF 2.1.0 schema from @microsoft/jest-sarif,
# into .tools/; Chromium renders the HTML report in the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PACKAGES=(
  g++ cmake make pkg-config python3 python3-aiosmtpd dpkg-dev file zsh
  libssl-dev libcurl4-openssl-dev libsqlite3-dev sqlite3
  nlohmann-json3-dev libpugixml-dev libfmt-dev libcli11-dev libcpp-httplib-dev
  libsimdjson-dev libyaml-cpp-dev libre2-dev libdeflate-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev
  chromium
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# node and npm may come from elsewhere (nodesource); only Debian's when there are none.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all Debian packages present"
else
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if [ ! -f .tools/node_modules/ajv/package.json ] || \
   [ ! -f .tools/node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json ]; then
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --loglevel=error \
    ajv@8 @microsoft/jest-sarif@1.0.0-beta.0
fi
