#!/usr/bin/env bash
# `make tidy`: clang-tidy over service/*.cpp and bench/*.cpp (.clang-tidy: any warning is an
# error), JOBS files at a time. Each file's findings are printed in one piece; clang's "N warnings
# generated" counts (warnings in system headers, never shown) are dropped. Fails when any file has
# a finding.
#
#   tidy.sh [BUILD_DIR [JOBS]]     BUILD_DIR must be configured (compile_commands.json)
set -euo pipefail
cd "$(dirname "$0")/../.."
export BUILD_DIR=${1:-build}
jobs=${2:-2}
git ls-files 'service/*.cpp' 'bench/*.cpp' | xargs -P "$jobs" -n 1 bash -c '
  output=$(clang-tidy -p "$BUILD_DIR" --quiet "$0" 2>&1) && status=0 || status=$?
  output=$(grep -Ev "^[0-9]+ warnings? (generated|treated as errors)\.$" <<<"$output" || true)
  if [ -n "$output" ]; then printf "%s\n" "$output"; fi
  exit "$status"'
echo "clang-tidy: no findings in $(git ls-files 'service/*.cpp' 'bench/*.cpp' | wc -l) files of service/ and bench/"
