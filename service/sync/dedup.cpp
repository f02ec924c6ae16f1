#include "sync/dedup.hpp"

#include <functional>
#include <utility>

namespace jobsync::sync {

bool Deduplicator::first_sighting(std::string_view job_id) {
    if (insert(std::hash<std::string_view>{}(job_id))) return true;
    ++duplicates_;
    return false;
}

bool Deduplicator::insert(std::uint64_t hash) {
    if (hash == 0) return !std::exchange(zero_seen_, true);
    if (2 * (used_ + 1) > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    // std::hash of a string is well mixed in every bit, so its low bits pick the slot.
    for (std::size_t slot = hash & mask;; slot = (slot + 1) & mask) {
        if (slots_[slot] == hash) return false;
        if (slots_[slot] == 0) {
            slots_[slot] = hash;
            ++used_;
            return true;
        }
    }
}

void Deduplicator::grow() {
    constexpr std::size_t kFirstSlots = 1024;
    std::vector<std::uint64_t> old = std::exchange(
        slots_, std::vector<std::uint64_t>(slots_.empty() ? kFirstSlots : 2 * slots_.size()));
    const std::size_t mask = slots_.size() - 1;
    for (const std::uint64_t hash : old) {
        if (hash == 0) continue;
        std::size_t slot = hash & mask;
        while (slots_[slot] != 0) slot = (slot + 1) & mask;
        slots_[slot] = hash;
    }
}

}  // namespace jobsync::sync
