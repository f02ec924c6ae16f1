#include "http/buffer_pool.hpp"

#include <utility>

namespace jobsync::http {

BufferPool::BufferPool(std::size_t min_bytes, std::size_t max_bytes, std::size_t max_buffers)
    : min_bytes_(min_bytes), max_bytes_(max_bytes), max_buffers_(max_buffers) {}

std::string BufferPool::take(std::size_t bytes) {
    std::string buffer;
    if (bytes >= min_bytes_) {
        std::lock_guard lock(mutex_);
        auto best = kept_.end();
        for (auto it = kept_.begin(); it != kept_.end(); ++it) {
            if (it->capacity() >= bytes &&
                (best == kept_.end() || it->capacity() < best->capacity())) {
                best = it;
            }
        }
        if (best != kept_.end()) {
            buffer = std::move(*best);
            *best = std::move(kept_.back());
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

BufferPool& body_buffers() {
    static BufferPool pool(std::size_t{64} * 1024, std::size_t{16} * 1024 * 1024, 32);
    return pool;
}

}  // namespace jobsync::http
