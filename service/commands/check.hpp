// `job-sync check`: probes what a sync needs, read-only, and prints one line per probe.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "commands/wiring.hpp"
#include "config/settings.hpp"

namespace jobsync::commands {

// The configuration could not be built: one FAIL line a problem; nothing is contacted. Exit 2.
int report_config_problems(const std::vector<std::string>& problems, std::ostream& out);

// Exit 0 when a sync would work, 1 when a probe failed.
int run_check(const config::Settings& settings, Wiring& wiring);

}  // namespace jobsync::commands
