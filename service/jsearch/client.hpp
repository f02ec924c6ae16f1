// The JSearch JobSource: plans a query's requests, sends each through the retrying transport,
// parses it and hands the rows on, page chunk by page chunk.
#pragma once

#include <functional>

#include "http/retry.hpp"
#include "http/transport.hpp"
#include "jsearch/request.hpp"
#include "sync/ports.hpp"

namespace jobsync::jsearch {

class JsearchClient : public sync::JobSource {
  public:
    JsearchClient(http::Transport& transport, Connection connection, http::RetryPolicy policy,
                  http::RetryEnvironment environment);

    // Stops the query early when a response holds fewer than 10 jobs a page asked (there are no
    // more), and at the first failure, which it returns: the runner decides what happens next.
    // `billed_requests` is an estimate: JSearch's multiplier for every attempt that reached the
    // API, i.e. all but connection failures and RapidAPI's own 401/403/429 refusals.
    sync::FetchOutcome fetch(const sync::SearchQuery& query,
                             const std::function<void(sync::FetchedPage&&)>& sink) override;

  private:
    http::Transport& transport_;
    Connection connection_;
    http::RetryPolicy policy_;
    http::RetryEnvironment environment_;
};

}  // namespace jobsync::jsearch
