// How the stand-in tools run: until SIGINT or SIGTERM, or until stdin closes, so a parent that
// dies takes them down with it.
#pragma once

namespace jobsync::testing {

// Blocks SIGINT and SIGTERM in the calling thread. Call it before any thread is created:
// threads inherit the mask, so only serve_until_stopped() ever receives the two signals.
void block_stop_signals();

// Returns once SIGINT or SIGTERM arrives or, with `watch_stdin`, once stdin reaches EOF.
// Throws std::logic_error if block_stop_signals() was not called first.
void serve_until_stopped(bool watch_stdin);

}  // namespace jobsync::testing
