#!/usr/bin/env bash
# Installs the Debian packages that building and testing job-sync need, and nothing when they
# are all present (so `make test` stays fast on a prepared machine). Needs root or sudo.
#
#   install-deps.sh            everything to build and test (what `make test` needs)
#   install-deps.sh --service  only what building the service needs (the Dockerfile's build stage)
#   install-deps.sh --runtime  only the libraries job-sync runs with (the Dockerfile's runtime stage)
#   install-deps.sh --list [--service|--runtime]   print the package names, install nothing
#
# This is the one list of Debian packages: the Dockerfile calls this script rather than
# repeating it, and tests/deploy checks the runtime list against what the binary links.
set -euo pipefail

service_build=(
  cmake g++ make                      # toolchain
  libcpprest-dev libssl-dev           # HTTP client
  rapidjson-dev libspdlog-dev libcxxopts-dev
  libutfcpp-dev                       # UTF-8 validation (header-only)
)
test_only=(
  libboost-test-dev                   # Boost.Test
  libpq-dev postgresql                # throwaway PostgreSQL for the tests and `make run`
  nodejs npm                          # the supabase-js conformance suite
  python3-yaml systemd                # checks of deploy/: YAML, `systemd-analyze verify`
  clang-tidy                          # `make tidy`, the lint CI runs (.ci/run)
)
runtime=(
  ca-certificates                     # TLS to Supabase and RapidAPI
  libcpprest2.10 libspdlog1.10 libssl3  # what job-sync links (apt adds their dependencies)
)

mode=all
list_only=false
for argument in "$@"; do
  case "$argument" in
    --service) mode=service ;;
    --runtime) mode=runtime ;;
    --list) list_only=true ;;
    *) echo "install-deps: unknown option $argument (use --service, --runtime, --list)" >&2; exit 2 ;;
  esac
done
apt_options=()
case "$mode" in
  all) packages=("${service_build[@]}" "${test_only[@]}") ;;
  service) packages=("${service_build[@]}"); apt_options=(--no-install-recommends) ;;
  runtime) packages=("${runtime[@]}"); apt_options=(--no-install-recommends) ;;
esac
if $list_only; then
  printf '%s\n' "${packages[@]}"
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# Node.js may come from elsewhere than Debian's package; a working `node` and `npm` is enough.
if [ "$mode" = all ] && command -v node >/dev/null && command -v npm >/dev/null; then
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
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq "${apt_options[@]}" "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log"
  echo "install-deps: apt-get failed (output above)" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
echo "install-deps: done"
