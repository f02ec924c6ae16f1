// The PostgREST JobStore: sends upsert batches and the sweep through the transport, with
// retries, and turns responses into outcomes for the sync runner.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/retry.hpp"
#include "http/transport.hpp"
#include "ports/ports.hpp"
#include "postgrest/connection.hpp"
#include "postgrest/request.hpp"

namespace jobsync::postgrest {

// Holds no per-call state, so calls may run concurrently when the transport and the retry
// environment allow it.
class PostgrestStore final : public sync::JobStore {
  public:
    PostgrestStore(http::Transport& transport, Endpoint endpoint, http::RetryPolicy policy,
                   http::RetryEnvironment environment);

    // 200/201 succeed. The upsert is idempotent, so 429, 5xx and transport failures are retried,
    // except a statement timeout: the same batch would time out again (the runner splits it).
    // A failure says what splitting could fix (problem) and what the server said (code, reason).
    sync::StoreOutcome upsert(sync::UpsertBatch& batch) override;

    // 204/200 succeed; the count comes from Content-Range (count=exact). PGRST124 (more rows
    // than max_affected) is limit_exceeded; PGRST122 (a server before 12.2 that does not know
    // max-affected) is answered by resending without it.
    sync::SweepOutcome deactivate_unseen(std::string_view run_started_at,
                                         std::optional<long> max_affected) override;

    sync::CountOutcome count_active() override;
    sync::CountOutcome count_unseen(std::string_view run_started_at) override;

    // One PATCH per chunk of ids (short URLs); `affected` sums the rows updated.
    sync::StoreOutcome touch(const std::vector<std::string>& job_ids,
                             std::string_view last_seen) override;

  private:
    http::RetriedResponse send(
        http::Request request, std::string_view what,
        const std::function<bool(const http::Response&)>& retryable = nullptr) const;
    sync::CountOutcome count(const http::QueryParams& filters, std::string_view what);
    // nullopt when `sent` ended with one of the `ok` statuses; else why, as "<what> failed after
    // N attempt(s): ...".
    std::optional<sync::ClassifiedFailure> failure_of(const http::RetriedResponse& sent,
                                                      std::string_view what,
                                                      std::initializer_list<int> ok) const;

    Connection connection_;
};

}  // namespace jobsync::postgrest
