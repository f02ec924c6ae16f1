// Deduplication by job_id across every page and query of one run.
//
// The FIRST copy of a job wins. Rows stream from each fetched page straight into upsert
// batches, and a batch may already be on its way to PostgREST when a later query returns the
// same job; letting a later copy win would mean holding every row until the last query ends
// (memory bounded by the number of jobs, not by the batch). The copies are the same posting
// seen under different queries minutes apart, so which one wins changes next to nothing.
// Without dedup, two equal keys in one upsert make PostgREST fail (500, SQLSTATE 21000).
//
// Kept are 64-bit hashes of the ids (std::hash of the bytes), not the ids, in one open-addressing
// table (linear probing, at most half full): 8 to 16 bytes a job instead of about 100 for the
// id strings or 40 for a node-based set, and what grows with the feed (2 MB at 100,000 jobs). The
// price is a collision: a later job whose id hashes like an earlier one is taken for a copy and not
// sent this run (and, if it is in the table, could be swept as unseen). For n distinct ids the
// chance of any collision is about n^2 / 2^65: 3e-10 at 100,000 jobs, 3e-8 at a million, per run.
// The ids come from JSearch (Google's), not from someone who could search for colliding ids, so
// that risk is accepted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace jobsync::sync {

class Deduplicator {
  public:
    // True the first time `job_id` is seen in this run; false (and counted) afterwards.
    bool first_sighting(std::string_view job_id);

    std::size_t duplicates() const { return duplicates_; }

  private:
    bool insert(std::uint64_t hash);
    void grow();

    // Hashes of the ids; 0 marks an empty slot, so a hash of 0 is kept in `zero_seen_`.
    std::vector<std::uint64_t> slots_;
    std::size_t used_ = 0;
    bool zero_seen_ = false;
    std::size_t duplicates_ = 0;
};

}  // namespace jobsync::sync
