#include "sync/upsert_workers.hpp"

#include <algorithm>
#include <utility>

namespace jobsync::sync {

UpsertWorkers::UpsertWorkers(std::size_t workers, std::size_t capacity, Send send)
    : send_(std::move(send)), capacity_(std::max<std::size_t>(1, capacity)) {
    threads_.reserve(workers);
    for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
}

UpsertWorkers::~UpsertWorkers() {
    {
        std::lock_guard lock(mutex_);
        closing_ = true;
        queue_.clear();
    }
    waiting_.notify_all();
    for (auto& thread : threads_) {
        if (thread.joinable()) thread.join();
    }
}

void UpsertWorkers::submit(UpsertBatch batch) {
    if (threads_.empty()) {
        {
            std::lock_guard lock(mutex_);
            peak_sending_ = std::max<std::size_t>(peak_sending_, 1);
        }
        const std::uint32_t sequence = batch.sequence;
        send_(std::move(batch));  // an exception goes straight to the caller
        std::lock_guard lock(mutex_);
        answered_locked(sequence);
        return;
    }
    std::unique_lock lock(mutex_);
    room_.wait(lock, [this] { return error_ || queue_.size() < capacity_; });
    rethrow_locked(lock);
    queue_.push_back(std::move(batch));
    peak_waiting_ = std::max(peak_waiting_, queue_.size());
    lock.unlock();
    waiting_.notify_one();
}

void UpsertWorkers::finish() {
    {
        std::unique_lock lock(mutex_);
        idle_.wait(lock, [this] { return error_ || (queue_.empty() && sending_ == 0); });
        closing_ = true;
    }
    waiting_.notify_all();
    for (auto& thread : threads_) {
        if (thread.joinable()) thread.join();
    }
    std::unique_lock lock(mutex_);
    rethrow_locked(lock);
}

void UpsertWorkers::rethrow_locked(std::unique_lock<std::mutex>& lock) {
    if (!error_) return;
    std::exception_ptr error = error_;
    queue_.clear();
    lock.unlock();
    std::rethrow_exception(error);
}

void UpsertWorkers::answered_locked(std::uint32_t sequence) {
    if (sequence == 0) return;  // not numbered: nothing waits for it
    answered_past_.insert(sequence);
    while (!answered_past_.empty() && *answered_past_.begin() == answered_through_ + 1) {
        answered_past_.erase(answered_past_.begin());
        ++answered_through_;
    }
}

std::size_t UpsertWorkers::peak_waiting() const {
    std::lock_guard lock(mutex_);
    return peak_waiting_;
}

std::size_t UpsertWorkers::peak_sending() const {
    std::lock_guard lock(mutex_);
    return peak_sending_;
}

void UpsertWorkers::work() {
    for (;;) {
        UpsertBatch batch;
        {
            std::unique_lock lock(mutex_);
            waiting_.wait(lock, [this] { return closing_ || error_ || !queue_.empty(); });
            if (error_ || queue_.empty()) return;  // closing, nothing left (or a failure)
            batch = std::move(queue_.front());
            queue_.pop_front();
            ++sending_;
            peak_sending_ = std::max(peak_sending_, sending_);
        }
        room_.notify_one();
        const std::uint32_t sequence = batch.sequence;
        bool dropped = false;
        if (batch.after > 0) {
            std::unique_lock lock(mutex_);
            idle_.wait(lock, [&] { return error_ || answered_through_ >= batch.after; });
            dropped = static_cast<bool>(error_);  // the run is failing: send nothing more
        }
        std::exception_ptr failed;
        try {
            if (!dropped) send_(std::move(batch));
        } catch (...) {
            failed = std::current_exception();
        }
        {
            std::lock_guard lock(mutex_);
            --sending_;
            answered_locked(sequence);
            if (failed && !error_) {
                error_ = failed;
                queue_.clear();
            }
        }
        if (failed) {
            room_.notify_all();
            waiting_.notify_all();
        }
        idle_.notify_all();
    }
}

}  // namespace jobsync::sync
