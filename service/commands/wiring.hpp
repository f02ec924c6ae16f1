// What the operators' commands (check, status, sync --dry-run) are given by the app: the
// network, the retry environment and where to print. The app owns all of it.
#pragma once

#include <chrono>
#include <iosfwd>
#include <optional>

#include "config/settings.hpp"
#include "http/retry.hpp"
#include "http/transport.hpp"
#include "jsearch/request.hpp"
#include "postgrest/request.hpp"
#include "sync/stop.hpp"

namespace jobsync::commands {

struct Wiring {
    http::Transport& transport;
    http::RetryEnvironment retry;
    http::RetryPolicy policy;
    std::chrono::milliseconds timeout;
    std::ostream& out;  // the report
    std::ostream& err;  // why a command could not report
    // The dry run's: signals and --deadline end its fetching (null: nothing stops it), and its
    // JSearch requests retry in `fetch_retry` (interruptible; absent: `retry`). Its record is
    // still written through `retry`, as a real run's is after a stop.
    sync::StopSource* stop = nullptr;
    std::optional<http::RetryEnvironment> fetch_retry = std::nullopt;
};

// Where the sync and the commands reach Supabase and JSearch, as the settings say.
inline postgrest::Endpoint supabase_endpoint(const config::Settings& settings,
                                             std::chrono::milliseconds timeout) {
    return {settings.supabase_url,
            settings.jobs_table,
            settings.supabase_key,
            settings.supabase_key_kind,
            timeout,
            settings.max_response_bytes};
}

inline jsearch::Connection jsearch_connection(const config::Settings& settings,
                                              std::chrono::milliseconds timeout) {
    return {settings.jsearch_base_url, settings.jsearch_host, settings.jsearch_api_key, timeout};
}

}  // namespace jobsync::commands
