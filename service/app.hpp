// The application: parses the command line, wires the parts together, runs the command and
// is the one place that catches what ends a run and turns it into an exit code.
#pragma once

#include <spdlog/common.h>

#include <cstddef>
#include <iosfwd>
#include <memory>

#include "config/config.hpp"
#include "http/retry.hpp"
#include "http/transport.hpp"
#include "sync/stop.hpp"

namespace jobsync {

// Everything the app takes from the outside world. Tests replace any part; a null pointer
// means the real thing (HTTPS via cpprestsdk, the system clock, real sleeps, random jitter).
struct AppContext {
    config::EnvMap environment;  // the process environment (real variables win over .env)
    std::ostream& out;           // the run summary, help, version
    std::ostream& err;           // errors that end the run before logging is set up
    http::Transport* transport = nullptr;
    http::Clock* clock = nullptr;
    http::Sleeper* sleeper = nullptr;
    http::JitterSource* jitter = nullptr;
    spdlog::sink_ptr log_sink;  // null: log lines go to stderr
    // Whether `err` is a terminal: then progress is a line on it updated in place.
    bool err_is_terminal = false;
    std::size_t terminal_columns = 80;
    // Signals stop the run through this; null: the app makes its own, which only the deadline
    // trips. The real run_app(argc, argv) wires it to SIGINT/SIGTERM.
    sync::StopSource* stop = nullptr;
};

// Runs `job-sync <argv...>` and returns the process exit code (sync/exit_codes.hpp).
int run_app(int argc, const char* const* argv, AppContext& context);

// The real world: environ, stdout/stderr, the network.
int run_app(int argc, char** argv);

}  // namespace jobsync
