// How many JSearch requests fetch_as_ready (sync/request_fetch.hpp) keeps in flight, between
// one and `concurrency`. Pure: the fetch reports what happened, with durations it measured.
//
// Enough requests are in flight when each answer arrives about when the caller wants it. Two
// things are seen:
// - A page that had to wait for the caller (the pages waiting are full) longer than its request
//   took: the request could have started later and its page still been in time. Such a request
//   costs only memory (its page and response buffer), so the window narrows by one. This is
//   what happens when the database is the limit and JSearch answers fast: one or two requests
//   then keep the caller fed, where `concurrency` would hold that many pages waiting.
// - The caller waiting for a page while the window is full: too few requests are in flight, and
//   that costs time, so the window doubles (up to `concurrency`).
// When JSearch is slow, a page rarely waits longer than its request took, and the window stays
// wide: a burst of answers arriving together does not narrow it.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>

namespace jobsync::sync {

class RequestWindow {
  public:
    using Duration = std::chrono::steady_clock::duration;

    // Starts wide: at the start nothing tells yet that fewer requests would do.
    explicit RequestWindow(std::size_t concurrency)
        : widest_(std::max<std::size_t>(concurrency, 1)), size_(widest_) {}

    std::size_t size() const { return size_; }

    // A page waited `waited` for room after its request had taken `fetched` to answer.
    void page_waited(Duration fetched, Duration waited) {
        if (waited > fetched && size_ > 1) --size_;
    }

    // The caller found no page to take while `in_flight` requests were out.
    void caller_starved(std::size_t in_flight) {
        if (in_flight >= size_) size_ = std::min(widest_, size_ * 2);
    }

  private:
    std::size_t widest_;
    std::size_t size_;
};

}  // namespace jobsync::sync
