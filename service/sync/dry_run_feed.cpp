#include "sync/dry_run_feed.hpp"

#include <algorithm>
#include <utility>

namespace jobsync::sync {

void DryRunFeed::take(std::size_t query, const FetchedPage& page) {
    for (std::size_t r = 0; r < page.rows.size(); ++r) {
        const jobs::JobRow& row = page.rows[r];
        const FeedRank rank = feed_rank(query, page.first_page, r);
        const Deduplicator::Kind kind = dedup_.sight(row.job_id, rank).kind;
        if (kind == Deduplicator::Kind::worse) continue;
        if (kind == Deduplicator::Kind::better) ++beaten_;
        jobs_.push_back({row.job_id.str(), row.job_title ? row.job_title->str() : "", rank});
    }
}

std::vector<FeedJob> DryRunFeed::take_jobs() {
    if (beaten_ > 0) {
        // By id, best rank first, then the first of each id: no set of every id beside the
        // feed. Rare: only a copy that arrived before a better one of the same job.
        std::sort(jobs_.begin(), jobs_.end(), [](const FeedJob& a, const FeedJob& b) {
            return a.job_id != b.job_id ? a.job_id < b.job_id : a.rank < b.rank;
        });
        jobs_.erase(
            std::unique(jobs_.begin(), jobs_.end(),
                        [](const FeedJob& a, const FeedJob& b) { return a.job_id == b.job_id; }),
            jobs_.end());
        beaten_ = 0;
    }
    // In place (std::stable_sort would take a buffer as large as the feed). Equal ranks (only
    // past feed_rank's ranges) go by id, so the order never depends on arrival.
    std::sort(jobs_.begin(), jobs_.end(), [](const FeedJob& a, const FeedJob& b) {
        return a.rank != b.rank ? a.rank < b.rank : a.job_id < b.job_id;
    });
    return std::exchange(jobs_, {});
}

}  // namespace jobsync::sync
