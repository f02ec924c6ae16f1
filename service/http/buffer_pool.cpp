#include "http/buffer_pool.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace jobsync::http {

BufferPool::BufferPool(std::size_t min_bytes, std::size_t max_bytes, std::size_t max_buffers,
                       std::size_t idle_takes)
    : min_bytes_(min_bytes),
      max_bytes_(max_bytes),
      max_buffers_(max_buffers),
      idle_takes_(idle_takes) {}

std::string BufferPool::take(std::size_t bytes) {
    std::string buffer;
    std::vector<Kept> idle;  // freed after the lock is let go
    if (bytes >= min_bytes_) {
        // Sizes a little apart (response bodies differ by a few KB) share a size class, so a
        // kept buffer fits the next request.
        bytes = (bytes + kGrain - 1) / kGrain * kGrain;
        std::lock_guard lock(mutex_);
        ++takes_;
        // The smallest kept buffer that fits; else the largest, grown: never a new buffer
        // while kept ones wait, so no more buffers exist than were in use at once. Among equals
        // the one given back last, so that buffers a run no longer needs stay idle (and are
        // freed below) instead of being taken in turn.
        const auto better = [bytes](const Kept& a, const Kept& b) {
            const std::size_t a_room = a.buffer.capacity();
            const std::size_t b_room = b.buffer.capacity();
            const bool a_fits = a_room >= bytes;
            if (a_fits != (b_room >= bytes)) return a_fits;
            if (a_room != b_room) return a_fits ? a_room < b_room : a_room > b_room;
            return a.given_at > b.given_at;
        };
        const auto best = std::min_element(kept_.begin(), kept_.end(), better);
        if (best != kept_.end()) {
            std::swap(*best, kept_.back());
            buffer = std::move(kept_.back().buffer);
            kept_.pop_back();
        }
        const auto stale = std::partition(kept_.begin(), kept_.end(), [&](const Kept& kept) {
            return takes_ - kept.given_at <= idle_takes_;
        });
        std::move(stale, kept_.end(), std::back_inserter(idle));
        kept_.erase(stale, kept_.end());
    }
    buffer.clear();
    buffer.reserve(bytes);
    return buffer;
}

void BufferPool::give(std::string&& buffer) {
    std::string freed = std::move(buffer);
    const std::size_t capacity = freed.capacity();
    if (capacity < min_bytes_ || capacity > max_bytes_) return;
    std::lock_guard lock(mutex_);
    if (kept_.size() < max_buffers_) kept_.push_back(Kept{std::move(freed), takes_});
}

std::size_t BufferPool::kept() const {
    std::lock_guard lock(mutex_);
    return kept_.size();
}

// Never destroyed: a request abandoned at exit (a second signal) may still give a buffer back
// from a cpprestsdk thread after static destructors have run.
BufferPool& body_buffers() {
    static auto* const pool =
        new BufferPool(std::size_t{64} * 1024, std::size_t{16} * 1024 * 1024, 32, 64);
    return *pool;
}

}  // namespace jobsync::http
