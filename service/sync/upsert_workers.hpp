// Upserts batches on worker threads while the caller goes on fetching and batching.
//
// The caller (the runner's thread) hands complete batches to `submit`, in the order it cut
// them; `workers` threads each take the oldest waiting batch and pass it to `send`. The queue
// holds at most `capacity` batches: `submit` blocks while it is full, so fetching waits for
// the database instead of piling rows up. Memory: at most `workers` batches being sent plus
// `capacity` waiting. With 0 workers `submit` sends on the calling thread (the runner's
// sequential mode). No network code: `send` is injected, so this is tested without servers.
//
// A batch whose `after` is set waits, on its worker, until the numbered batches 1..after were
// answered (sent, or failed): the copy of a job it carries must land after the copy it
// replaces. Batches are handed on in the order they were cut, so the ones it waits for were
// taken by other workers before it and no wait lasts longer than their requests.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "ports/ports.hpp"

namespace jobsync::sync {

class UpsertWorkers {
  public:
    using Send = std::function<void(UpsertBatch&& batch)>;

    // capacity 0 counts as 1.
    UpsertWorkers(std::size_t workers, std::size_t capacity, Send send);
    // Drops batches still waiting and joins the workers (after an exception in the caller).
    ~UpsertWorkers();
    UpsertWorkers(const UpsertWorkers&) = delete;
    UpsertWorkers& operator=(const UpsertWorkers&) = delete;

    // Hands a batch on; blocks while `capacity` batches wait. Rethrows an exception a worker's
    // `send` threw (the batches still waiting are then dropped).
    void submit(UpsertBatch batch);

    // Waits until every batch handed on was sent, ends the workers and rethrows an exception
    // a worker's `send` threw. Idempotent.
    void finish();

    // The most batches waiting at once, and the most being sent at once (for tests).
    std::size_t peak_waiting() const;
    std::size_t peak_sending() const;

  private:
    void work();
    void rethrow_locked(std::unique_lock<std::mutex>& lock);
    void answered_locked(std::uint32_t sequence);

    Send send_;
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable room_;     // a batch left the queue, or a worker failed
    std::condition_variable waiting_;  // a batch arrived, or closing
    std::condition_variable idle_;     // a worker finished a batch (and answered it)
    std::deque<UpsertBatch> queue_;
    std::size_t sending_ = 0;
    std::uint32_t answered_through_ = 0;     // numbered batches 1..this were all answered
    std::set<std::uint32_t> answered_past_;  // answered numbers above it (answered out of order)
    std::size_t peak_waiting_ = 0;
    std::size_t peak_sending_ = 0;
    bool closing_ = false;
    std::exception_ptr error_;
    std::vector<std::thread> threads_;
};

}  // namespace jobsync::sync
