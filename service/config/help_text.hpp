// The prose of `job-sync --help` and of each command's --help: the option lists before it
// are written by cxxopts from the option table in cli.cpp.
#pragma once

#include <string_view>

namespace jobsync::config::help {

inline constexpr std::string_view kOverview =
    R"(job-sync keeps a Supabase jobs table in step with the JSearch API.

Usage:
  job-sync <command> [OPTION...]
  job-sync --help | --version

Commands:
  sync    Fetch every query's pages, upsert the jobs, mark vanished jobs inactive
  check   Check that a sync would work: PASS/WARN/FAIL lines with fixes
  status  The last runs in job_sync_runs and whether a run holds the lease

Run `job-sync <command> --help`, e.g. `job-sync sync --help`, for its options and the environment variables.
)";

// The environment variables and the exit codes.
inline constexpr std::string_view kSyncEpilog = R"(
Environment variables (read from the environment or the .env file; the real
environment wins over the file; empty counts as unset):
  SUPABASE_URL                  Project URL, e.g. https://<ref>.supabase.co (required)
  SUPABASE_SERVICE_ROLE_KEY     Secret key (sb_secret_...) or legacy service_role JWT
                                (required; secret)
  JSEARCH_API_KEY               RapidAPI key subscribed to JSearch (required; secret)
  JSEARCH_BASE_URL              JSearch endpoint (default https://jsearch.p.rapidapi.com)
  JSEARCH_HOST                  X-RapidAPI-Host header (default jsearch.p.rapidapi.com)
  JOBS_TABLE                    Table to upsert into (default jobs)
  JSEARCH_QUERIES               Queries separated by ';', added to --query and
                                --queries-file
  JOBSYNC_HTTP_TIMEOUT_SECONDS  Timeout of one whole HTTP request (connect, headers,
                                body), 1-600 (default 30)
  JOBSYNC_DEADLINE              As --deadline (the flag wins)
  JOBSYNC_MAX_REQUESTS          As --max-requests (the flag wins)
  JOBSYNC_MAX_RESPONSE_BYTES    As --max-response-bytes (the flag wins)
  JOBSYNC_CONCURRENCY           As --concurrency (the flag wins)
  JOBSYNC_MAX_RPS               As --max-rps (the flag wins)
  JOBSYNC_UPSERT_CONCURRENCY    As --upsert-concurrency (the flag wins)
  SSL_CERT_FILE                 PEM file of CA certificates OpenSSL trusts instead of the
                                system's (read by OpenSSL itself); --ca-file adds to them
  JOBSYNC_RUN_ID                The run id when --run-id is not given (e.g. the
                                Kubernetes Job's name, passed by the downward API)
  JOB_COMPLETION_INDEX          The shard index for --shards N (Kubernetes sets it)
  JSEARCH_API_KEY_<I>           Shard I's own RapidAPI key, preferred over
                                JSEARCH_API_KEY when set (secret)

SUPABASE_URL and JSEARCH_BASE_URL must be https:// (http:// only for loopback:
localhost, 127.0.0.0/8, ::1) and must not hold credentials (user:password@).
A legacy service_role JWT whose exp has passed, allowing 60 s of clock skew,
stops the run before any request (exit 3).

Secrets are never accepted as flags (command lines show up in `ps`): put them in
the environment or in the .env file. See env/.env.example.

Exit codes:
  0  everything succeeded, the sweep of vanished jobs included
  1  incomplete: a query, an upsert batch or the sweep failed, or nothing was
     fetched; no job was marked inactive
  2  usage or configuration error; no request was sent
  3  a key was rejected (JSearch 401/403, or Supabase refused the key), or the
     service_role JWT has expired (checked before any request)
  4  internal error (a bug)
  5  refused: another run holds the lease (see job_sync_runs); nothing fetched
  6  guarded: the sweep would deactivate more than --max-deactivate-share of
     the active jobs; everything was upserted, nothing deactivated
  7  quota: JSearch's quota is exhausted, or --max-requests would have been
     passed; rows already fetched are upserted, the sweep is skipped
  8  deadline: --deadline passed before the run finished; the sweep is skipped
  130, 143  cancelled by SIGINT / SIGTERM (a second signal exits at once); the
     summary is still written, the sweep never starts
)";

inline constexpr std::string_view kCheckEpilog = R"(
Reads the same environment and .env file as `job-sync sync` (see `job-sync sync
--help`). Each line starts with PASS, WARN or FAIL, says what was checked and,
when it is not PASS, how to fix it. It writes nothing: the table is only read
(limit=0), and the lease functions are called so that they change nothing.

Exit codes:
  0  a sync would work (warnings aside)
  1  at least one FAIL: a sync would fail; the FAIL lines say why
  2  the configuration is incomplete or malformed; nothing was contacted
)";

inline constexpr std::string_view kStatusEpilog = R"(
Reads job_sync_runs through PostgREST with the service key (the table is not
readable by anon). Needs SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY only.

Exit codes:
  0  the history was read (whatever the runs' own statuses)
  1  it could not be read (network, missing migration)
  2  usage or configuration error; nothing was contacted
  3  Supabase refused the key
)";

}  // namespace jobsync::config::help
