#include "http/buffer_pool.hpp"

#include <utility>

namespace jobsync::http {

BufferPool::BufferPool(std::size_t min_bytes, std::size_t max_bytes, std::size_t max_buffers)
    : min_bytes_(min_bytes), max_bytes_(max_bytes), max_buffers_(max_buffers) {}

std::string BufferPool::take(std::size_t bytes) {
    std::string buffer;
    if (bytes >= min_bytes_) {
        // Sizes a little apart (response bodies differ by a few KB) share a size class, so a
        // kept buffer fits the next request.
        bytes = (bytes + kGrain - 1) / kGrain * kGrain;
        std::lock_guard lock(mutex_);
        // The smallest kept buffer that fits; else the largest, grown: never a new buffer
        // while kept ones wait, so no more buffers exist than were in use at once.
        auto best = kept_.end();
        for (auto it = kept_.begin(); it != kept_.end(); ++it) {
            const bool fits = it->capacity() >= bytes;
            if (best == kept_.end()) {
                best = it;
                continue;
            }
            const bool best_fits = best->capacity() >= bytes;
            if (fits ? !best_fits || it->capacity() < best->capacity()
                     : !best_fits && it->capacity() > best->capacity()) {
                best = it;
            }
        }
        if (best != kept_.end()) {
            std::swap(*best, kept_.back());
            buffer = std::move(kept_.back());
            kept_.pop_back();
        }
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
    if (kept_.size() < max_buffers_) kept_.push_back(std::move(freed));
}

std::size_t BufferPool::kept() const {
    std::lock_guard lock(mutex_);
    return kept_.size();
}

// Never destroyed: a request abandoned at exit (a second signal) may still give a buffer back
// from a cpprestsdk thread after static destructors have run.
BufferPool& body_buffers() {
    static auto* const pool =
        new BufferPool(std::size_t{64} * 1024, std::size_t{16} * 1024 * 1024, 32);
    return *pool;
}

}  // namespace jobsync::http
