// What the operators' commands (check, status, sync --dry-run) are given by the app: the
// network, the retry environment and where to print. The app owns all of it.
#pragma once

#include <chrono>
#include <iosfwd>

#include "http/retry.hpp"
#include "http/transport.hpp"

namespace jobsync::commands {

struct Wiring {
    http::Transport& transport;
    http::RetryEnvironment retry;
    http::RetryPolicy policy;
    std::chrono::milliseconds timeout;
    std::ostream& out;  // the report
    std::ostream& err;  // why a command could not report
};

}  // namespace jobsync::commands
