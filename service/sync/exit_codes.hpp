// The process exit codes of job-sync, documented in `job-sync --help` and the README. The sync
// summary picks 0, 1 or 3; the app uses 2 and 4 for what stops a run before or outside it.
#pragma once

namespace jobsync::sync {

// Everything succeeded, the sweep included.
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

}  // namespace jobsync::sync
