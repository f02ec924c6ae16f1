#include "sync/dedup.hpp"

#include <algorithm>
#include <functional>
#include <utility>

namespace jobsync::sync {

FeedRank feed_rank(std::size_t query, int page, std::size_t row) {
    const auto q = static_cast<FeedRank>(std::min<std::size_t>(query, 0xFFFF));
    const auto p = static_cast<FeedRank>(std::clamp(page - 1, 0, 0x3F));
    const auto r = static_cast<FeedRank>(std::min<std::size_t>(row, 0x3FF));
    return q << 16 | p << 10 | r;
}

Deduplicator::Sighting Deduplicator::sight(std::string_view job_id, FeedRank rank) {
    const std::uint64_t hash = std::hash<std::string_view>{}(job_id);
    Sighting sighting;
    std::size_t slot = kZeroSlot;
    if (hash == 0) {
        if (!std::exchange(zero_seen_, true)) {
            zero_ = Slot{0, rank, 0};
            sighting.slot = kZeroSlot;
            return sighting;
        }
    } else {
        // At most 4/5 full: with a well-mixed hash an insert probes about 13 slots at worst,
        // a few cache lines, and the table stays at 20 to 40 bytes a job.
        if (5 * (used_ + 1) > 4 * slots_.size()) grow();
        const std::size_t mask = slots_.size() - 1;
        // std::hash of a string is well mixed in every bit, so its low bits pick the slot.
        for (slot = hash & mask; slots_[slot].hash != hash; slot = (slot + 1) & mask) {
            if (slots_[slot].hash == 0) {
                slots_[slot] = Slot{hash, rank, 0};
                ++used_;
                sighting.slot = slot;
                return sighting;
            }
        }
    }
    ++duplicates_;
    Slot& kept = at(slot);
    sighting.slot = slot;
    if (rank >= kept.rank) {
        sighting.kind = Kind::worse;
        return sighting;
    }
    sighting.kind = Kind::better;
    sighting.earlier_batch = kept.batch;
    kept.rank = rank;
    return sighting;
}

void Deduplicator::placed(const Sighting& sighting, std::uint32_t batch) {
    if (sighting.kind != Kind::worse) at(sighting.slot).batch = batch;
}

void Deduplicator::grow() {
    constexpr std::size_t kFirstSlots = 1024;
    std::vector<Slot> old =
        std::exchange(slots_, std::vector<Slot>(slots_.empty() ? kFirstSlots : 2 * slots_.size()));
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& entry : old) {
        if (entry.hash == 0) continue;
        std::size_t slot = entry.hash & mask;
        while (slots_[slot].hash != 0) slot = (slot + 1) & mask;
        slots_[slot] = entry;
    }
}

}  // namespace jobsync::sync
