# job-sync: every command a developer and CI need. See README.md.
BUILD_DIR ?= build
JOBS ?= 2
CMAKE_FLAGS ?=
CONFORMANCE_DIR := tests/conformance
SOURCES = $(shell git ls-files '*.cpp' '*.hpp' 2>/dev/null)

PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_FLAGS ?=

.PHONY: all deps build install test unit run bench bench-shards bench-instructions bench-machine bench-whole-bodies conformance-deps format format-check tidy clean

all: build

# Debian packages the build and the tests need (does nothing when all are present).
deps:
	@./tests/scripts/install-deps.sh

$(BUILD_DIR)/CMakeCache.txt:
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS)

build: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS)

# job-sync into $(DESTDIR)$(PREFIX)/bin, the .env example and schema/ into share/job-sync/.
# Builds only the service; configure with CMAKE_FLAGS=-DJOBSYNC_BUILD_TESTS=OFF to leave the
# tests out of the build tree too (the Dockerfile does).
install: $(BUILD_DIR)/CMakeCache.txt
	cmake --build $(BUILD_DIR) -j$(JOBS) --target job-sync
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD_DIR) --prefix "$(PREFIX)" $(INSTALL_FLAGS)

# The pinned supabase-js the conformance suite drives the gateway with.
conformance-deps:
	@cd $(CONFORMANCE_DIR) && npm ci --no-audit --no-fund --loglevel=error

# The whole suite: unit tests, integration tests over real HTTP and a real PostgreSQL,
# and the supabase-js conformance run against the gateway.
test: deps
	$(MAKE) build
	$(MAKE) conformance-deps
	cd $(BUILD_DIR) && ctest --output-on-failure

# Only the pure-logic tests (no servers): the fast loop while editing.
unit: build
	cd $(BUILD_DIR) && ctest --output-on-failure -R '^unit-'

# The main job on an embedded default: a throwaway PostgreSQL with the schema, the
# PostgREST-compatible gateway and the JSearch stand-in on loopback, then `job-sync sync`.
run: deps
	$(MAKE) build
	$(BUILD_DIR)/local-run --job-sync $(BUILD_DIR)/job-sync $(if $(SHARDS),--shards $(SHARDS))

# The benchmark (bench/, README "Performance"): a Release build of its own, then every scenario
# against the floors. BENCH_SCENARIOS=10k-* / BENCH_QUICK=1 / BENCH_FULL=1 pick the runs,
# BENCH_PERF=10k-0ms-c1 records that run with perf into $(BENCH_DIR)/perf.data.
BENCH_DIR ?= build-bench
# ccache when the machine has it (install-deps does not need it): the Release tree rebuilds fast.
BENCH_CMAKE = cmake -S . -B $(BENCH_DIR) -DCMAKE_BUILD_TYPE=Release \
	$(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
bench: deps
	$(BENCH_CMAKE)
	cmake --build $(BENCH_DIR) -j$(JOBS) --target job-sync job-sync-bench
	$(BENCH_DIR)/job-sync-bench --job-sync $(BENCH_DIR)/job-sync \
	    --perf-output $(BENCH_DIR)/perf.data --markdown $(BENCH_DIR)/bench.md

# One process against 4 shards of one run (issue 11), 10,000 jobs at 300 ms: wall time and
# billed requests side by side (BENCH_SHARDS=N for another count; with `make bench`, adds it).
bench-shards: deps
	$(BENCH_CMAKE)
	cmake --build $(BENCH_DIR) -j$(JOBS) --target job-sync job-sync-bench
	$(BENCH_DIR)/job-sync-bench --job-sync $(BENCH_DIR)/job-sync --shards $${BENCH_SHARDS:-4} \
	    --markdown $(BENCH_DIR)/bench-shards.md

# Instructions instead of time (callgrind, needs valgrind): floor (a) against job-sync's whole
# process on the same 1,000 jobs (BENCH_SCENARIOS=10k-0ms-c1 for another run; slow under valgrind).
bench-instructions: deps
	$(BENCH_CMAKE)
	cmake --build $(BENCH_DIR) -j$(JOBS) --target job-sync job-sync-bench
	bench/count_instructions.sh $(BENCH_DIR) $${BENCH_SCENARIOS:-1k-0ms-c1}

# The receive pattern (docs/performance.md): 1k and 10k, each run directly and again with
# JSearch's answers relayed whole instead of in the stand-in's 4 KiB writes, three runs each.
bench-whole-bodies: deps
	$(BENCH_CMAKE)
	cmake --build $(BENCH_DIR) -j$(JOBS) --target job-sync job-sync-bench
	$(BENCH_DIR)/job-sync-bench --job-sync $(BENCH_DIR)/job-sync --whole-bodies \
	    --scenarios "$${BENCH_SCENARIOS:-1k-*,10k-*}" --runs $${BENCH_RUNS:-3} \
	    --markdown $(BENCH_DIR)/bench-whole-bodies.md

# What the kernel charges here for a system call, a page fault, a thread hand-off and loopback
# TCP: the prices of the events job-sync pays for and floor (a) does not (docs/performance.md).
bench-machine: deps
	$(BENCH_CMAKE)
	cmake --build $(BENCH_DIR) -j$(JOBS) --target job-sync-machine-costs
	$(BENCH_DIR)/job-sync-machine-costs

format:
	clang-format -i $(SOURCES)

format-check:
	clang-format --dry-run --Werror $(SOURCES)

# Static analysis of the service and benchmark code (see .clang-tidy): any warning fails it.
# $(JOBS) files at a time; needs a configured build (its compile_commands.json), not a built one.
tidy: $(BUILD_DIR)/CMakeCache.txt
	@./tests/scripts/tidy.sh $(BUILD_DIR) $(JOBS)

clean:
	rm -rf $(BUILD_DIR)
