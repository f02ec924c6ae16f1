#!/usr/bin/env bash
# Installs the Debian packages that building and testing job-sync need, and nothing when they
# are all present (so `make test` stays fast on a prepared machine). Needs root or sudo.
set -euo pipefail

packages=(
  cmake g++ make                      # toolchain
  libcpprest-dev libssl-dev           # HTTP client (and the stand-ins' listener)
  rapidjson-dev libspdlog-dev libcxxopts-dev
  libboost-test-dev                   # Boost.Test
  libpq-dev postgresql                # throwaway PostgreSQL for the tests and `make run`
  nodejs npm                          # the supabase-js conformance suite
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# Node.js may come from elsewhere than Debian's package; a working `node` and `npm` is enough.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for package in "${missing[@]}"; do
    [[ "$package" == nodejs || "$package" == npm ]] || filtered+=("$package")
  done
  missing=("${filtered[@]}")
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log"
  echo "install-deps: apt-get failed (output above)" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
echo "install-deps: done"
