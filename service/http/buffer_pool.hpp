// Large body buffers (JSearch responses, upsert request bodies) handed back after use and taken
// again for the next request. A run moves about 1 MB per request; allocating each buffer afresh
// costs a page fault for every 4 KB of it (malloc maps large blocks anew), or, when malloc keeps
// them in its heap instead, a heap that grows with the run as freed blocks fragment. Reused
// buffers are pages already touched, and the pool holds at most the buffers in use at once.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace jobsync::http {

class BufferPool {
  public:
    // Keeps buffers of `min_bytes` to `max_bytes` capacity, at most `max_buffers` of them.
    BufferPool(std::size_t min_bytes, std::size_t max_bytes, std::size_t max_buffers);

    // An empty string with room for `bytes` (from `min_bytes`, rounded up to 64 KiB): the
    // smallest kept buffer that is large enough, else the largest kept one grown, else a new
    // one.
    std::string take(std::size_t bytes);

    // Keeps `buffer` for a later take when its capacity is within the limits and there is
    // room; frees it otherwise.
    void give(std::string&& buffer);

    std::size_t kept() const;

  private:
    static constexpr std::size_t kGrain = std::size_t{64} * 1024;

    const std::size_t min_bytes_;
    const std::size_t max_bytes_;
    const std::size_t max_buffers_;
    mutable std::mutex mutex_;
    std::vector<std::string> kept_;
};

// The process's pool for body buffers: 64 KiB to 16 MiB each, at most 32.
BufferPool& body_buffers();

}  // namespace jobsync::http
