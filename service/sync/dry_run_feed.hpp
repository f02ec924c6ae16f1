// The distinct jobs a dry run fetched, as a sequential run would meet them, whatever order the
// pages arrive in (sync/request_fetch.hpp hands them on as they come). Which copy of a job is
// kept follows the real run's rule (sync/dedup.hpp): the best-ranked one, by query as given,
// then page, then place in the response. So the report's jobs and examples, titles included,
// do not depend on --concurrency or timing. Kept per job: its id, title and rank; no response.
#pragma once

#include <cstddef>
#include <vector>

#include "ports/ports.hpp"
#include "sync/dedup.hpp"
#include "sync/dry_run_plan.hpp"

namespace jobsync::sync {

class DryRunFeed {
  public:
    // A page of the run's query number `query` (0 up), as the fetch hands it on.
    void take(std::size_t query, const FetchedPage& page);

    // Copies after the first of a job, counted as the real run counts them.
    std::size_t duplicates() const { return dedup_.duplicates(); }

    // The kept copies in feed order; leaves the feed empty.
    std::vector<FeedJob> take_jobs();

  private:
    Deduplicator dedup_;
    std::vector<FeedJob> jobs_;
    // Copies that beat one already kept (which came first from a later place): the beaten
    // copy stays in jobs_ until take_jobs() drops it.
    std::size_t beaten_ = 0;
};

}  // namespace jobsync::sync
