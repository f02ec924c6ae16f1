// Fetches several queries at once, one request at a time: up to `concurrency` workers each send
// the next request of whichever query has the most pages left to ask for (ties: the earlier
// query), so no worker idles while a few long queries are left. A query's next request waits
// for its previous answer: only a full answer says there are more pages, and a request past
// the end would still be billed. Pages reach the caller's thread as they arrive, in no order
// across queries (a query's own pages in order), so nothing waits for a slow query and no page
// is held for later: requests in flight plus pages the caller is not done with stay at most
// concurrency + 1 (a caller that falls behind makes the workers wait, not pile pages), and a
// caller that stays behind (the database is the limit) soon has only one or two requests working
// for it (sync/request_window.hpp). Which
// copy of a job wins is therefore decided by rank (sync/dedup.hpp), not by arrival. The sync runner
// and the dry run (which sorts its feed by rank at the end: sync/dry_run_feed.hpp) both use this.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <vector>

#include "ports/ports.hpp"

namespace jobsync::sync {

struct RequestFetchHandlers {
    // All are called on the caller's thread.
    std::function<void(std::size_t query, FetchedPage&& page)> on_page;
    // Once a query has ended (no more pages, or it failed), with its requests' outcomes summed.
    std::function<void(std::size_t query, const FetchOutcome& outcome)> on_done;
    // Asked after each page or outcome and while waiting; true: no request starts any more.
    // Requests already sent are answered and their pages still handed on. A query failing for
    // its key, the quota, the deadline or a signal stops the requests at once by itself.
    std::function<bool()> stop;
    // Queries started but not ended because of a stop: what their requests cost.
    std::function<void(std::size_t query, const FetchOutcome& outcome)> on_abandoned;
    // Called once, from the caller's thread, when a stop ends fetching early; e.g. to cut the
    // requests in flight short. May be empty.
    std::function<void()> halt;
    // What the request window (sync/request_window.hpp) measures with; called from any thread.
    // Empty: std::chrono::steady_clock. Tests give a clock they move themselves.
    std::function<std::chrono::steady_clock::time_point()> now;
};

// Returns how many queries ended (every page fetched, or failed). An exception thrown by the
// source in a worker is rethrown here after every worker has ended.
std::size_t fetch_as_ready(const std::vector<SearchQuery>& queries, JobSource& source,
                           std::size_t concurrency, const RequestFetchHandlers& handlers);

}  // namespace jobsync::sync
