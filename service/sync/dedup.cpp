#include "sync/dedup.hpp"

namespace jobsync::sync {

bool Deduplicator::first_sighting(std::string_view job_id) {
    if (seen_.emplace(job_id).second) return true;
    ++duplicates_;
    return false;
}

}  // namespace jobsync::sync
