// `job-sync status`: the last runs of job_sync_runs, the lease, the last good sync.
#pragma once

#include "commands/wiring.hpp"
#include "config/settings.hpp"

namespace jobsync::commands {

// Exit 0 when the history was read, 1 when not, 3 when the key was refused.
int run_status(const config::Settings& settings, Wiring& wiring);

}  // namespace jobsync::commands
