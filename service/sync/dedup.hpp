// Deduplication by job_id across every page and query of one run.
//
// The FIRST copy of a job wins. Rows stream from each fetched page straight into upsert
// batches, and a batch may already be on its way to PostgREST when a later query returns the
// same job; letting a later copy win would mean holding every row until the last query ends
// (memory bounded by the number of jobs, not by the batch). The copies are the same posting
// seen under different queries minutes apart, so which one wins changes next to nothing.
// Without dedup, two equal keys in one upsert make PostgREST fail (500, SQLSTATE 21000).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_set>

namespace jobsync::sync {

class Deduplicator {
  public:
    // True the first time `job_id` is seen in this run; false (and counted) afterwards.
    bool first_sighting(std::string_view job_id);

    std::size_t duplicates() const { return duplicates_; }

  private:
    std::unordered_set<std::string> seen_;  // ids only: a few dozen bytes a job
    std::size_t duplicates_ = 0;
};

}  // namespace jobsync::sync
