#include "sync/ordered_fetch.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "sync/reorder_buffer.hpp"

namespace jobsync::sync {

namespace {

struct Event {
    std::size_t query = 0;
    std::optional<FetchedPage> page;  // none: the query's outcome
    FetchOutcome outcome;
};

class OrderedFetch {
  public:
    OrderedFetch(const std::vector<SearchQuery>& queries, JobSource& source,
                 std::size_t reorder_capacity, const OrderedFetchHandlers& handlers)
        : queries_(queries),
          source_(source),
          handlers_(handlers),
          buffer_(queries.size(), reorder_capacity) {}

    std::size_t run(std::size_t concurrency) {
        std::vector<std::thread> workers;
        const std::size_t count = std::max<std::size_t>(1, std::min(concurrency, queries_.size()));
        workers.reserve(count);
        for (std::size_t i = 0; i < count; ++i) workers.emplace_back([this] { work(); });
        std::size_t completed = 0;
        try {
            completed = consume();
        } catch (...) {
            stop_workers();
            for (auto& worker : workers) worker.join();
            throw;
        }
        stop_workers();
        for (auto& worker : workers) worker.join();
        if (error_) std::rethrow_exception(error_);
        for (auto& event : buffer_.drain()) {
            if (!event.page && handlers_.on_abandoned) {
                handlers_.on_abandoned(event.query, event.outcome);
            }
        }
        for (const auto& event : abandoned_) {
            if (handlers_.on_abandoned) handlers_.on_abandoned(event.query, event.outcome);
        }
        return completed;
    }

  private:
    void work() {
        for (;;) {
            std::size_t query = 0;
            {
                std::lock_guard lock(mutex_);
                if (stopping_ || next_ >= queries_.size()) return;
                query = next_++;
            }
            Event done{query, std::nullopt, {}};
            try {
                done.outcome = source_.fetch(queries_[query], [&](FetchedPage&& page) {
                    push(Event{query, std::move(page), {}}, false);
                });
            } catch (...) {
                std::lock_guard lock(mutex_);
                if (!error_) error_ = std::current_exception();
                stopping_ = true;
                done.outcome.failure = Failure::bad_response;
                room_.notify_all();
                arrived_.notify_all();
            }
            push(std::move(done), true);
        }
    }

    void push(Event event, bool last) {
        std::unique_lock lock(mutex_);
        room_.wait(lock, [&] { return stopping_ || buffer_.can_accept(event.query); });
        if (stopping_) {
            if (last) abandoned_.push_back(std::move(event));
            return;
        }
        const std::size_t query = event.query;
        buffer_.push(query, std::move(event), last);
        arrived_.notify_all();
    }

    std::size_t consume() {
        std::size_t completed = 0;
        std::size_t started = queries_.size();  // none yet
        std::unique_lock lock(mutex_);
        while (!buffer_.done()) {
            if (error_) break;
            std::optional<Event> event = buffer_.pop();
            if (!event) {
                // Woken by an arrival; the timeout only lets a stop from outside (a signal)
                // be noticed while every worker waits on the network.
                arrived_.wait_for(lock, std::chrono::milliseconds(50));
                // A query under way is seen to its end, as in a sequential run.
                if (started == buffer_.head()) continue;
                lock.unlock();
                const bool stop = handlers_.stop && handlers_.stop();
                lock.lock();
                if (stop) break;
                continue;
            }
            room_.notify_all();
            lock.unlock();
            const bool starts_query = event->query != started;
            if (starts_query && handlers_.stop && handlers_.stop()) {
                lock.lock();
                // Not handed on: put the outcome back for the abandoned list.
                if (!event->page) abandoned_.push_back(std::move(*event));
                break;
            }
            if (starts_query) {
                started = event->query;
                if (handlers_.on_start) handlers_.on_start(event->query);
            }
            if (event->page) {
                if (handlers_.on_page) handlers_.on_page(event->query, std::move(*event->page));
            } else {
                if (handlers_.on_done) handlers_.on_done(event->query, event->outcome);
                ++completed;
            }
            lock.lock();
        }
        return completed;
    }

    void stop_workers() {
        bool halt = false;
        {
            std::lock_guard lock(mutex_);
            halt = !stopping_ && !buffer_.done();
            stopping_ = true;
        }
        room_.notify_all();
        if (halt && handlers_.halt) handlers_.halt();
    }

    const std::vector<SearchQuery>& queries_;
    JobSource& source_;
    const OrderedFetchHandlers& handlers_;
    std::mutex mutex_;
    std::condition_variable room_;     // the buffer took an item out, or stopping
    std::condition_variable arrived_;  // an item arrived
    ReorderBuffer<Event> buffer_;
    std::size_t next_ = 0;  // the next query a worker takes
    bool stopping_ = false;
    std::vector<Event> abandoned_;  // outcomes of queries started but not handed on
    std::exception_ptr error_;
};

}  // namespace

std::size_t default_reorder_capacity(std::size_t concurrency) { return 2 * concurrency; }

std::size_t fetch_in_order(const std::vector<SearchQuery>& queries, JobSource& source,
                           std::size_t concurrency, std::size_t reorder_capacity,
                           const OrderedFetchHandlers& handlers) {
    if (queries.empty()) return 0;
    OrderedFetch fetch(queries, source, reorder_capacity, handlers);
    return fetch.run(concurrency);
}

}  // namespace jobsync::sync
