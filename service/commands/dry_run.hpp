// `job-sync sync --dry-run`: fetches and maps as a real run does, reads the table through
// PostgREST (keys and is_active only) and reports what a real run would do. Writes nothing to
// the table; its run record (job_sync_begin with p_dry_run) is kept, marked dry.
#pragma once

#include "commands/wiring.hpp"
#include "config/settings.hpp"
#include "ports/ports.hpp"

namespace jobsync::commands {

// Returns the exit code a real run would have (sync::exit_code(DryRunReport)).
int run_dry_run(const config::Settings& settings, const sync::RunStart& start, Wiring& wiring);

}  // namespace jobsync::commands
