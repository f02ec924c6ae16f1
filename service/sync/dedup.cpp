#include "sync/dedup.hpp"

#include <functional>

namespace jobsync::sync {

bool Deduplicator::first_sighting(std::string_view job_id) {
    if (seen_.insert(std::hash<std::string_view>{}(job_id)).second) return true;
    ++duplicates_;
    return false;
}

}  // namespace jobsync::sync
