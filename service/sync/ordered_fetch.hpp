// Fetches several queries at once and hands their pages on in the order a sequential run
// would: query by query as given, each query's pages in order. Up to `concurrency` workers
// each take the next query not yet started and fetch it through the JobSource; the caller's
// thread receives every page and outcome through a bounded ReorderBuffer, so it alone
// deduplicates, batches, upserts and counts, and the first copy of a job in that order wins
// whatever the timing. Memory: at most `reorder_capacity` pages held for later queries, plus
// one page in flight per worker and the pages of the query being released.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "ports/ports.hpp"

namespace jobsync::sync {

struct OrderedFetchHandlers {
    // All are called on the caller's thread, in query order.
    std::function<void(std::size_t query)> on_start;  // before the query's first page
    std::function<void(std::size_t query, FetchedPage&& page)> on_page;
    std::function<void(std::size_t query, const FetchOutcome& outcome)> on_done;
    // Asked before a query is started (handed on); true: it and every later query are not,
    // and the workers are told to stop (`halt`). A query already started is seen to its end,
    // as in a sequential run.
    std::function<bool()> stop;
    // Queries that were started but not handed on because of a stop: their outcomes, so the
    // requests they cost are still counted. Their pages are dropped.
    std::function<void(std::size_t query, const FetchOutcome& outcome)> on_abandoned;
    // Called once, from the caller's thread, when fetching stops early; e.g. to keep the
    // transport from sending more requests for queries already in flight. May be empty.
    std::function<void()> halt;
};

// How many items (pages and query outcomes) of later queries the buffer holds when the caller
// does not say: twice the concurrency, so memory stays within concurrency x page size. Enough
// that every worker could fetch its query to the end, (concurrency - 1) x (requests a query
// needs + 1), was measured and not kept (docs/performance.md): at 300 ms a request the fetch
// alone went from 7.2 to 5.3 s at --concurrency 8, but peak RSS rose by about 40 %.
std::size_t default_reorder_capacity(std::size_t concurrency);

// Returns how many queries (a prefix of `queries`) were handed on completely. An exception
// thrown by the source in a worker is rethrown here after every worker has ended.
std::size_t fetch_in_order(const std::vector<SearchQuery>& queries, JobSource& source,
                           std::size_t concurrency, std::size_t reorder_capacity,
                           const OrderedFetchHandlers& handlers);

}  // namespace jobsync::sync
