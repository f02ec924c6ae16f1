// Large body buffers (JSearch responses, upsert request bodies) handed back after use and taken
// again for the next request. A run moves about 1 MB per request; allocating each buffer afresh
// costs a page fault for every 4 KB of it (malloc maps large blocks anew), or, when malloc keeps
// them in its heap instead, a heap that grows with the run as freed blocks fragment. Reused
// buffers are pages already touched, and the pool holds at most the buffers in use at once.
// A buffer nobody took over the last `idle_takes` takes is freed: a run needs as many as it
// has requests in flight, and that falls after the start when the database is the limit
// (sync/request_window.hpp); the start's buffers need not stay mapped all run.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

namespace jobsync::http {

class BufferPool {
  public:
    // Keeps buffers of `min_bytes` to `max_bytes` capacity, at most `max_buffers` of them, each
    // until `idle_takes` takes have passed it by.
    BufferPool(std::size_t min_bytes, std::size_t max_bytes, std::size_t max_buffers,
               std::size_t idle_takes);

    // An empty string with room for `bytes` (from `min_bytes`, rounded up to 64 KiB): the
    // smallest kept buffer that is large enough, else the largest kept one grown, else a new
    // one. Frees the kept buffers that have been idle too long.
    std::string take(std::size_t bytes);

    // Keeps `buffer` for a later take when its capacity is within the limits and there is
    // room; frees it otherwise.
    void give(std::string&& buffer);

    std::size_t kept() const;

  private:
    static constexpr std::size_t kGrain = std::size_t{64} * 1024;

    struct Kept {
        std::string buffer;
        std::size_t given_at = 0;  // takes_ when it was given back
    };

    const std::size_t min_bytes_;
    const std::size_t max_bytes_;
    const std::size_t max_buffers_;
    const std::size_t idle_takes_;
    mutable std::mutex mutex_;
    std::vector<Kept> kept_;
    std::size_t takes_ = 0;  // of kept sizes (from min_bytes)
};

// The process's pool for body buffers: 64 KiB to 16 MiB each, at most 32, each freed once 64
// responses have come without it.
BufferPool& body_buffers();

}  // namespace jobsync::http
