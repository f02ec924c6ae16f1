#include "sync/request_fetch.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "sync/request_window.hpp"

namespace jobsync::sync {

namespace {

using Clock = std::chrono::steady_clock;

// Pages handed on but not yet taken by the caller. The caller only deduplicates and encodes,
// so it falls behind only when the upsert queue is full, i.e. the database is the limit; more
// pages waiting would not make it faster, only the process larger (about 1 MB a page).
constexpr std::size_t kMostPagesWaiting = 2;

struct Event {
    std::size_t query = 0;
    std::optional<FetchedPage> page;  // none: the query ended
};

struct QueryState {
    int next_page = 1;
    bool started = false;
    bool in_flight = false;
    bool ended = false;
    FetchOutcome total;  // its requests so far
};

bool ends_fetching(Failure failure) {
    return failure == Failure::auth || failure == Failure::quota || failure == Failure::deadline ||
           failure == Failure::cancelled;
}

void add_up(FetchOutcome& total, const FetchOutcome& part) {
    total.requests += part.requests;
    total.billed_requests += part.billed_requests;
    total.retries += part.retries;
    total.pages += part.pages;
    if (part.quota_remaining) total.quota_remaining = part.quota_remaining;
    if (!part.quota_reset.empty()) total.quota_reset = part.quota_reset;
    if (part.failure != Failure::none) {
        total.failure = part.failure;
        total.message = part.message;
    }
    total.exhausted = total.exhausted || part.exhausted;
}

class RequestFetch {
  public:
    RequestFetch(const std::vector<SearchQuery>& queries, JobSource& source,
                 std::size_t concurrency, const RequestFetchHandlers& handlers)
        : queries_(queries),
          source_(source),
          handlers_(handlers),
          states_(queries.size()),
          page_capacity_(std::clamp<std::size_t>(concurrency, 1, kMostPagesWaiting)),
          most_alive_(std::max<std::size_t>(concurrency, 1) + 1),
          window_(concurrency) {
        for (std::size_t i = 0; i < queries_.size(); ++i) {
            states_[i].next_page = std::max(queries_[i].first_page, 1);
            if (states_[i].next_page > queries_[i].pages) states_[i].ended = true;
        }
    }

    std::size_t run(std::size_t concurrency) {
        const std::size_t count = std::max<std::size_t>(1, std::min(concurrency, queries_.size()));
        {
            std::lock_guard lock(mutex_);
            working_ = count;
            // A query with no pages to fetch ends at once (as a sequential run would end it).
            for (std::size_t i = 0; i < queries_.size(); ++i) {
                if (states_[i].ended) events_.push_back(Event{i, std::nullopt});
            }
        }
        std::vector<std::thread> workers;
        workers.reserve(count);
        for (std::size_t i = 0; i < count; ++i) workers.emplace_back([this] { work(); });
        std::size_t ended = 0;
        try {
            ended = consume();
        } catch (...) {
            stop_workers(false);
            for (auto& worker : workers) worker.join();
            throw;
        }
        for (auto& worker : workers) worker.join();
        if (error_) std::rethrow_exception(error_);
        if (handlers_.on_abandoned) {
            for (std::size_t i = 0; i < states_.size(); ++i) {
                const QueryState& state = states_[i];
                if (state.started && !state.ended) handlers_.on_abandoned(i, state.total);
            }
        }
        return ended;
    }

  private:
    // The query to ask next: most pages left, then the earliest. None: nothing is ready.
    std::optional<std::size_t> pick_locked() const {
        std::optional<std::size_t> best;
        int best_left = 0;
        for (std::size_t i = 0; i < states_.size(); ++i) {
            const QueryState& state = states_[i];
            if (state.ended || state.in_flight) continue;
            const int left = queries_[i].pages - state.next_page + 1;
            if (!best || left > best_left) {
                best = i;
                best_left = left;
            }
        }
        return best;
    }

    bool all_ended_locked() const {
        return std::all_of(states_.begin(), states_.end(),
                           [](const QueryState& state) { return state.ended; });
    }

    void work() {
        for (;;) {
            std::size_t query = 0;
            SearchQuery request;
            {
                std::unique_lock lock(mutex_);
                std::optional<std::size_t> next;
                ready_.wait(lock, [&] {
                    if (stopping_ || all_ended_locked()) return true;
                    if (alive_ >= most_alive_ || in_flight_ >= window_.size()) return false;
                    next = pick_locked();
                    return next.has_value();
                });
                if (stopping_ || !next) {
                    if (--working_ == 0) arrived_.notify_all();
                    return;
                }
                query = *next;
                ++alive_;  // the request
                ++in_flight_;
                QueryState& state = states_[query];
                state.started = true;
                state.in_flight = true;
                request = queries_[query];
                request.first_page = state.next_page;
                const int per_request = std::max(queries_[query].pages_per_request, 1);
                request.pages = std::min(queries_[query].pages, state.next_page + per_request - 1);
            }
            FetchOutcome outcome;
            try {
                // When the request started, then when its previous page was handed on.
                auto since = now();
                const PageSink sink(
                    [&](FetchedPage&& page) {
                        push_page(Event{query, std::move(page)}, since);
                        since = now();
                    },
                    [&] {
                        std::unique_lock lock(mutex_);
                        wait_for_room(lock, since);
                    });
                outcome = source_.fetch(request, sink);
            } catch (...) {
                std::lock_guard lock(mutex_);
                if (!error_) error_ = std::current_exception();
                stopping_ = true;
                --alive_;
                --in_flight_;
                states_[query].in_flight = false;
                if (--working_ == 0) arrived_.notify_all();
                ready_.notify_all();
                room_.notify_all();
                arrived_.notify_all();
                return;
            }
            bool all_done = false;
            {
                std::lock_guard lock(mutex_);
                --alive_;  // the request; its pages count until the caller is done with them
                --in_flight_;
                QueryState& state = states_[query];
                state.in_flight = false;
                add_up(state.total, outcome);
                state.next_page = request.pages + 1;
                if (outcome.failure != Failure::none || outcome.exhausted ||
                    state.next_page > queries_[query].pages) {
                    state.ended = true;
                    events_.push_back(Event{query, std::nullopt});
                }
                // No later request can do better (the key, the quota, the run's end): none
                // starts, before the caller has even seen the outcome.
                if (ends_fetching(outcome.failure)) stopping_ = true;
                all_done = stopping_ || all_ended_locked();
            }
            arrived_.notify_all();
            // The one request slot this freed is taken by this worker itself, on its way
            // round the loop (the wait checks first). Waking the idle workers as well only had
            // them find nothing and sleep again: with --concurrency 8 and the window narrowed
            // to one or two, six or seven thread switches per request. They are woken when
            // they must end, and otherwise by what can start more than one request: the
            // caller done with a page, and the window widening.
            if (all_done) ready_.notify_all();
        }
    }

    Clock::time_point now() const { return handlers_.now ? handlers_.now() : Clock::now(); }

    // Blocks while `page_capacity_` pages wait for the caller (never once stopping: the caller
    // then still takes every page, but a worker must not hang on a caller that has thrown).
    // A wait longer than the request took (since `requested`) narrows the window
    // (sync/request_window.hpp). A source waits here before it parses a response
    // (PageSink::before_page), and again, rarely, if another page took the room meanwhile.
    void wait_for_room(std::unique_lock<std::mutex>& lock, Clock::time_point requested) {
        if (aborted_ || pages_waiting_ < page_capacity_) return;
        const auto arrived = now();
        room_.wait(lock, [&] { return aborted_ || pages_waiting_ < page_capacity_; });
        window_.page_waited(arrived - requested, now() - arrived);
    }

    void push_page(Event event, Clock::time_point requested) {
        std::unique_lock lock(mutex_);
        wait_for_room(lock, requested);
        if (aborted_) return;
        ++pages_waiting_;
        ++alive_;
        events_.push_back(std::move(event));
        lock.unlock();
        arrived_.notify_all();
    }

    std::size_t consume() {
        std::size_t ended = 0;
        bool stop_seen = false;
        std::unique_lock lock(mutex_);
        for (;;) {
            if (error_) {
                // A worker threw: the run ends with its exception; nothing more is taken.
                lock.unlock();
                stop_workers(false);
                break;
            }
            if (events_.empty()) {
                if (working_ == 0) break;
                // Starved: if the window held requests back, it widens (request_window.hpp).
                const std::size_t window = window_.size();
                window_.caller_starved(in_flight_);
                if (window_.size() > window) ready_.notify_all();
                // Woken by an arrival; the timeout only lets a stop from outside (a signal)
                // be noticed while every worker waits on the network.
                arrived_.wait_for(lock, std::chrono::milliseconds(50));
                if (events_.empty()) {
                    lock.unlock();
                    if (!stop_seen) stop_seen = check_stop();
                    lock.lock();
                    continue;
                }
            }
            Event event = std::move(events_.front());
            events_.pop_front();
            if (event.page) --pages_waiting_;
            const FetchOutcome outcome = event.page ? FetchOutcome{} : states_[event.query].total;
            lock.unlock();
            room_.notify_one();
            if (event.page) {
                if (handlers_.on_page) handlers_.on_page(event.query, std::move(*event.page));
                event.page.reset();
                {
                    std::lock_guard done(mutex_);
                    --alive_;
                }
                ready_.notify_one();
            } else {
                ++ended;
                if (handlers_.on_done) handlers_.on_done(event.query, outcome);
            }
            if (!stop_seen) stop_seen = check_stop();
            lock.lock();
        }
        return ended;
    }

    // True once the handlers ask to stop; then tells the workers to start nothing more.
    bool check_stop() {
        if (!handlers_.stop || !handlers_.stop()) return false;
        stop_workers(true);
        return true;
    }

    // keep_pages: the caller goes on taking the pages of requests already sent.
    void stop_workers(bool keep_pages) {
        bool halt = false;
        {
            std::lock_guard lock(mutex_);
            halt = !halted_ && !all_ended_locked();
            halted_ = true;
            stopping_ = true;
            if (!keep_pages) aborted_ = true;
        }
        ready_.notify_all();
        room_.notify_all();
        if (halt && handlers_.halt) handlers_.halt();
    }

    const std::vector<SearchQuery>& queries_;
    JobSource& source_;
    const RequestFetchHandlers& handlers_;
    std::mutex mutex_;
    std::condition_variable ready_;    // a query may have become ready, or stopping
    std::condition_variable room_;     // the caller took a page, or aborted
    std::condition_variable arrived_;  // an event arrived, or a worker ended
    std::vector<QueryState> states_;
    std::deque<Event> events_;
    std::size_t page_capacity_;
    std::size_t pages_waiting_ = 0;
    // Requests in flight plus pages not yet done with by the caller. A request starts only
    // while fewer than concurrency + 1 are: when the caller falls behind (the database is the
    // limit), the workers stop asking rather than each hold a page it cannot hand on. Memory
    // is then that many pages, not the workers' pages plus the waiting ones.
    const std::size_t most_alive_;
    std::size_t alive_ = 0;
    // Requests in flight, a worker waiting to hand its page on included: at most the window.
    RequestWindow window_;
    std::size_t in_flight_ = 0;
    std::size_t working_ = 0;  // workers not yet ended
    bool stopping_ = false;    // no request starts any more
    bool aborted_ = false;     // the caller takes no more pages
    bool halted_ = false;      // handlers_.halt was called
    std::exception_ptr error_;
};

}  // namespace

std::size_t fetch_as_ready(const std::vector<SearchQuery>& queries, JobSource& source,
                           std::size_t concurrency, const RequestFetchHandlers& handlers) {
    if (queries.empty()) return 0;
    RequestFetch fetch(queries, source, concurrency, handlers);
    return fetch.run(concurrency);
}

}  // namespace jobsync::sync
