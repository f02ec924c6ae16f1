// The JSearch JobSource: plans a query's requests, sends each through the retrying transport,
// parses it and hands the rows on, page chunk by page chunk.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "http/retry.hpp"
#include "http/transport.hpp"
#include "jsearch/request.hpp"
#include "ports/ports.hpp"

namespace jobsync::jsearch {

// What bounds the client's spending across all queries of a run.
struct Budget {
    std::optional<long> max_billed_requests;  // --max-requests; none: no cap
    std::size_t max_body_bytes = http::kDefaultMaxBodyBytes;
};

class JsearchClient : public sync::JobSource {
  public:
    JsearchClient(http::Transport& transport, Connection connection, http::RetryPolicy policy,
                  http::RetryEnvironment environment, Budget budget = {});

    // Stops the query early when a response holds fewer than 10 jobs a page asked (there are no
    // more), and at the first failure, which it returns: the runner decides what happens next.
    // `billed_requests` is an estimate: JSearch's multiplier for every attempt that reached the
    // API, i.e. all but connection failures and RapidAPI's own 401/403/429 refusals.
    // Once the quota is spent (retry_rule.hpp) or the next request would pass
    // max_billed_requests, this and every later fetch fails with Failure::quota, sending nothing.
    // Safe to call from several threads at once (one query each). A successful response waits
    // in `sink.before_page()` before it is parsed.
    sync::FetchOutcome fetch(const sync::SearchQuery& query, const sync::PageSink& sink) override;

  private:
    http::Transport& transport_;
    Connection connection_;
    http::RetryPolicy policy_;
    http::RetryEnvironment environment_;
    // Shared by the queries fetched at once (sync --concurrency): locked.
    std::string quota_spent_reason() const;
    std::string spend_quota(std::string reason);  // the first reason stays; returns it

    Budget budget_;
    mutable std::mutex mutex_;
    long billed_ = 0;                 // across the whole run, with requests in flight
    std::string quota_spent_reason_;  // set once the quota is known to be spent
};

}  // namespace jobsync::jsearch
