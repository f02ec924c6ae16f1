#!/usr/bin/env bash
# Instructions, not time: floor (a)'s parse-and-write of the pages against job-sync's whole
# process on the same pages, both counted by callgrind in one bench run. Counts do not move
# with the machine's load, so this ratio is the one that says how much work the data path does;
# the CPU-time ratio in `make bench` also charges the service its kernel time (sockets, page
# faults, wake-ups), which the in-process floor has none of (docs/performance.md).
#
#   bench/count_instructions.sh <build dir> [scenario]     e.g. build-bench 1k-0ms-c1
#
# Floor (a)'s timed work is one out-of-line function, parse_and_write (bench/client_floor.cpp),
# so its inclusive cost is that work alone, over all of the bench's passes.
set -euo pipefail

build=${1:?usage: $0 <build dir> [scenario]}
scenario=${2:-1k-0ms-c1}
for tool in valgrind callgrind_annotate; do
    if ! command -v "$tool" >/dev/null; then
        echo "$0: needs $tool (apt-get install valgrind)" >&2
        exit 2
    fi
done
out=$(mktemp -d /tmp/job-sync-instructions.XXXXXX)
trap 'rm -rf "$out"' EXIT

echo "==> $scenario under callgrind: floor (a) in the bench, job-sync through BENCH_PROFILER" >&2
BENCH_SCENARIOS=$scenario BENCH_PERF=$scenario \
BENCH_PROFILER="valgrind --tool=callgrind --callgrind-out-file=$out/service.out" \
    valgrind --tool=callgrind --callgrind-out-file="$out/floor.out" \
    "$build/job-sync-bench" --job-sync "$build/job-sync" >"$out/bench.txt" 2>"$out/bench.err" || {
    cat "$out/bench.err" >&2
    exit 1
}

passes=$(grep -o 'least CPU of [0-9]* passes' "$out/bench.txt" | grep -o '[0-9]*' || true)
floor=$(callgrind_annotate --inclusive=yes "$out/floor.out" |
    awk '/parse_and_write/ && !seen { gsub(",", "", $1); print $1; seen = 1 }')
service=$(callgrind_annotate "$out/service.out" |
    awk '/PROGRAM TOTALS/ && !seen { gsub(",", "", $1); print $1; seen = 1 }')
if [[ -z $passes || -z $floor || -z $service ]]; then
    echo "$0: could not read the counts (passes '$passes', floor '$floor', service '$service')" >&2
    exit 1
fi
awk -v floor="$floor" -v passes="$passes" -v service="$service" -v scenario="$scenario" '
BEGIN {
    per_pass = floor / passes
    printf "| scenario | floor (a) instructions, one pass | job-sync instructions, whole process | ratio |\n"
    printf "|---|---:|---:|---:|\n"
    printf "| %s | %.1f M | %.1f M | %.2f× |\n", scenario, per_pass / 1e6, service / 1e6, service / per_pass
}'
