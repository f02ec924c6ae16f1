// The process exit codes of job-sync, documented in `job-sync --help` and the README. The sync
// summary picks 0, 1, 3, 5 or 6 (and 2 for a run id used before); the app uses 2 and 4 for what
// stops a run before or outside it.
#pragma once

namespace jobsync::sync {

// Everything succeeded, the sweep included (or skipped on purpose with --no-sweep).
inline constexpr int kExitSuccess = 0;
// The run is incomplete: a query or an upsert batch failed, or the sweep was skipped or failed.
// Nothing was marked inactive.
inline constexpr int kExitIncomplete = 1;
// Usage or configuration error (bad flag, missing or malformed setting); no network call made.
inline constexpr int kExitUsage = 2;
// A key was rejected (JSearch 401/403, or Supabase refused the service-role key).
inline constexpr int kExitAuth = 3;
// An unexpected internal error (a bug): the app caught an exception it did not expect.
inline constexpr int kExitInternal = 4;
// Refused: another run holds the lease (job_sync_runs); nothing was fetched or written.
inline constexpr int kExitRefused = 5;
// Guarded: the mass-deactivation guard stopped the sweep (more than --max-deactivate-share of
// the active jobs would have gone); everything was upserted, nothing was deactivated.
inline constexpr int kExitGuarded = 6;

// JSearch's quota is spent, or --max-requests would have been passed; the sweep was skipped.
inline constexpr int kExitQuota = 7;
// --deadline passed before the run finished; the sweep was skipped.
inline constexpr int kExitDeadline = 8;
// Stopped by SIGINT / SIGTERM (128 + the signal number); the sweep was skipped.
inline constexpr int kExitInterrupted = 130;
inline constexpr int kExitTerminated = 143;

}  // namespace jobsync::sync
