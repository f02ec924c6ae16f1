// The PostgREST JobStore: sends upsert batches and the sweep through the transport, with
// retries, and turns responses into outcomes for the sync runner.
#pragma once

#include "http/retry.hpp"
#include "http/transport.hpp"
#include "postgrest/request.hpp"
#include "sync/ports.hpp"

namespace jobsync::postgrest {

// Holds no per-call state, so calls may run concurrently when the transport and the retry
// environment allow it.
class PostgrestStore final : public sync::JobStore {
  public:
    PostgrestStore(http::Transport& transport, Endpoint endpoint, http::RetryPolicy policy,
                   http::RetryEnvironment environment);

    // 200/201 succeed. The upsert is idempotent, so 429, 5xx and transport failures are retried.
    sync::StoreOutcome upsert(const sync::UpsertBatch& batch) override;

    // 204/200 succeed; the count comes from Content-Range (count=exact).
    sync::SweepOutcome deactivate_unseen(std::string_view run_started_at) override;

  private:
    http::RetriedResponse send(const http::Request& request, std::string_view what) const;
    // Removes the key from text that came from a server, which might echo it back.
    std::string scrub(std::string message) const;

    http::Transport& transport_;
    Endpoint endpoint_;
    http::RetryPolicy policy_;
    http::RetryEnvironment environment_;
};

}  // namespace jobsync::postgrest
