// Deduplication by job_id across every page and query of one run.
//
// The copy a sequential run meets first wins: the one from the earliest query in the order
// given, then the earliest page, then the earliest place in its response (its FeedRank). The
// rule does not depend on the order in which copies arrive, so a run fetching several queries
// at once, whose pages come in any order, leaves the table a sequential run leaves. A copy that
// arrives with a better rank than one already sent replaces it: it is sent again, after the
// batch that carried the earlier copy has been answered (the runner sees to that order, with
// the batch numbers kept here). A sequential run meets copies in rank order and never sends
// one twice. Without dedup, two equal keys in one upsert make PostgREST fail (500, SQLSTATE
// 21000).
//
// Kept are 64-bit hashes of the ids (std::hash of the bytes), not the ids, with each kept
// copy's rank and batch, in one open-addressing table (linear probing, at most 4/5 full): 20
// to 40 bytes a job instead of about 100 for the id strings, 2 MB at 100,000 jobs (3 MB for
// the moment the table doubles, when the old one is still there). The price is
// a collision: a later job whose id hashes like an earlier one is taken for a copy and not sent
// this run (and, if it is in the table, could be swept as unseen). For n distinct ids the
// chance of any collision is about n^2 / 2^65: 3e-10 at 100,000 jobs, 3e-8 at a million, per
// run. The ids come from JSearch (Google's), not from someone who could search for colliding
// ids, so that risk is accepted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace jobsync::sync {

// Where a copy stands in the order a sequential run reads the feed; lower comes first. Packed
// into 32 bits: query (16), page - 1 (6), place in the response (10). Values past a field's
// range are clamped (more than 65,536 queries, page 64 or row 1,024 of one response: none
// occurs with JSearch's limits of 50 pages, 500 rows a request).
using FeedRank = std::uint32_t;
FeedRank feed_rank(std::size_t query, int page, std::size_t row);

class Deduplicator {
  public:
    enum class Kind {
        first,   // the first copy of the job: send it
        better,  // an earlier-ranked copy than the one sent: send it again, after that one
        worse,   // a later-ranked copy (or an equal one): skip it
    };
    struct Sighting {
        Kind kind = Kind::first;
        std::uint32_t earlier_batch = 0;  // better: the batch that carried the copy it replaces
        std::size_t slot = 0;             // for placed()
    };

    // Looks `job_id` up at `rank`; a first or better copy becomes the kept one. Every copy
    // after the first is counted as a duplicate.
    Sighting sight(std::string_view job_id, FeedRank rank);

    // Records the batch (numbered by the caller, 1 up) the kept copy of `sighting` went into.
    // Call before the next sight(): growing the table moves its slots.
    void placed(const Sighting& sighting, std::uint32_t batch);

    std::size_t duplicates() const { return duplicates_; }

  private:
    struct Slot {
        std::uint64_t hash = 0;  // 0: empty (a hash of 0 lives in zero_)
        FeedRank rank = 0;
        std::uint32_t batch = 0;
    };
    static constexpr std::size_t kZeroSlot = ~std::size_t{0};

    Slot& at(std::size_t slot) { return slot == kZeroSlot ? zero_ : slots_[slot]; }
    void grow();

    std::vector<Slot> slots_;
    std::size_t used_ = 0;
    Slot zero_;
    bool zero_seen_ = false;
    std::size_t duplicates_ = 0;
};

}  // namespace jobsync::sync
