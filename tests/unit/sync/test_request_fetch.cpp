// Fetching one request at a time across queries (sync/request_fetch.hpp), with a scripted
// source: which request goes next, when a query ends, and what a stop leaves.
#include <algorithm>
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "fakes.hpp"
#include "sync/request_fetch.hpp"

using namespace jobsync;
using namespace jobsync::testing;
using sync::Failure;

namespace {

// Serves each query's jobs 10 to a page, `pages_per_request` pages a request, as JSearch
// does: a short page (fewer than 10 jobs) is the last. Records every request.
class PagedSource final : public sync::JobSource {
  public:
    std::map<std::string, int> jobs;         // by query text
    std::map<std::string, Failure> failing;  // by query text: every request fails so
    struct Call {
        std::string query;
        int first_page = 0;
        int last_page = 0;
    };
    std::vector<Call> calls;
    std::function<void(const std::string& query)> before_fetch;

    sync::FetchOutcome fetch(const sync::SearchQuery& q, const sync::PageSink& sink) override {
        {
            std::lock_guard lock(mutex_);
            calls.push_back({q.text, q.first_page, q.pages});
        }
        if (before_fetch) before_fetch(q.text);
        sync::FetchOutcome outcome;
        outcome.requests = 1;
        if (auto it = failing.find(q.text); it != failing.end()) {
            outcome.failure = it->second;
            outcome.message = "refused";
            return outcome;
        }
        const int total = jobs[q.text];
        sync::FetchedPage page;
        page.query = q.text;
        page.first_page = q.first_page;
        page.page_count = q.pages - q.first_page + 1;
        const int first_job = (q.first_page - 1) * 10;
        const int last_job = std::min(total, q.pages * 10);
        for (int j = first_job; j < last_job; ++j) {
            page.rows.push_back(job(q.text + "-" + std::to_string(j)));
        }
        outcome.pages = (static_cast<int>(page.rows.size()) + 9) / 10;
        outcome.exhausted = static_cast<int>(page.rows.size()) < page.page_count * 10;
        sink(std::move(page));
        return outcome;
    }

  private:
    std::mutex mutex_;
};

sync::SearchQuery paged(const std::string& text, int pages, int per_request) {
    sync::SearchQuery q = query(text);
    q.pages = pages;
    q.pages_per_request = per_request;
    return q;
}

struct Collected {
    std::vector<std::string> rows;  // job ids in the order the caller got them
    std::map<std::size_t, sync::FetchOutcome> done;
    std::map<std::size_t, sync::FetchOutcome> abandoned;
    std::size_t ended = 0;
    int halts = 0;
};

Collected run(const std::vector<sync::SearchQuery>& queries, PagedSource& source,
              std::size_t concurrency, std::function<bool()> stop = {}) {
    Collected out;
    sync::RequestFetchHandlers handlers;
    handlers.on_page = [&](std::size_t, sync::FetchedPage&& page) {
        for (const auto& row : page.rows) out.rows.push_back(row.job_id.str());
    };
    handlers.on_done = [&](std::size_t query, const sync::FetchOutcome& outcome) {
        out.done[query] = outcome;
    };
    handlers.on_abandoned = [&](std::size_t query, const sync::FetchOutcome& outcome) {
        out.abandoned[query] = outcome;
    };
    handlers.stop = std::move(stop);
    handlers.halt = [&] { ++out.halts; };
    out.ended = sync::fetch_as_ready(queries, source, concurrency, handlers);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(request_fetch)

BOOST_AUTO_TEST_CASE(a_query_asks_page_after_page_until_a_short_one) {
    PagedSource source;
    source.jobs["a"] = 25;  // pages 1, 2 full, 3 short
    const auto out = run({paged("a", 10, 1)}, source, 4);

    BOOST_TEST_REQUIRE(source.calls.size() == 3u);
    for (int i = 0; i < 3; ++i) {
        BOOST_TEST(source.calls[i].first_page == i + 1);
        BOOST_TEST(source.calls[i].last_page == i + 1);
    }
    BOOST_TEST(out.rows.size() == 25u);
    BOOST_TEST(out.ended == 1u);
    BOOST_TEST_REQUIRE(out.done.count(0) == 1u);
    BOOST_TEST(out.done.at(0).requests == 3);
    BOOST_TEST(out.done.at(0).pages == 3);
    BOOST_TEST(out.halts == 0);
}

BOOST_AUTO_TEST_CASE(a_request_covers_pages_per_request_and_the_last_stops_at_the_last_page) {
    PagedSource source;
    source.jobs["a"] = 1000;
    run({paged("a", 25, 10)}, source, 2);
    BOOST_TEST_REQUIRE(source.calls.size() == 3u);
    BOOST_TEST(source.calls[0].first_page == 1);
    BOOST_TEST(source.calls[0].last_page == 10);
    BOOST_TEST(source.calls[1].first_page == 11);
    BOOST_TEST(source.calls[1].last_page == 20);
    BOOST_TEST(source.calls[2].first_page == 21);
    BOOST_TEST(source.calls[2].last_page == 25);
}

BOOST_AUTO_TEST_CASE(the_query_with_the_most_pages_left_goes_first_then_the_earlier_one) {
    // One worker, so the order is exact: "long" has 3 pages to ask, "short" 1.
    PagedSource source;
    source.jobs["short"] = 100;
    source.jobs["long"] = 100;
    run({paged("short", 1, 1), paged("long", 3, 1)}, source, 1);
    std::vector<std::string> order;
    for (const auto& call : source.calls) {
        order.push_back(call.query + "/" + std::to_string(call.first_page));
    }
    // long/1 (3 left), long/2 (2 left against 1), then a tie at 1: the earlier query.
    BOOST_TEST(order == (std::vector<std::string>{"long/1", "long/2", "short/1", "long/3"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(every_query_ends_once_and_every_job_arrives_once_with_many_workers) {
    PagedSource source;
    std::vector<sync::SearchQuery> queries;
    std::size_t expected = 0;
    for (int q = 0; q < 12; ++q) {
        const std::string text = "q" + std::to_string(q);
        source.jobs[text] = 7 * q + 3;
        queries.push_back(paged(text, 5, 1 + q % 3));
        expected += static_cast<std::size_t>(std::min(7 * q + 3, 50));
    }
    const auto out = run(queries, source, 5);
    BOOST_TEST(out.ended == 12u);
    BOOST_TEST(out.done.size() == 12u);
    BOOST_TEST(out.abandoned.empty());
    BOOST_TEST(out.rows.size() == expected);
    std::vector<std::string> sorted = out.rows;
    std::sort(sorted.begin(), sorted.end());
    BOOST_TEST((std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end()));
}

BOOST_AUTO_TEST_CASE(a_query_with_no_pages_to_ask_ends_without_a_request) {
    PagedSource source;
    source.jobs["a"] = 10;
    const auto out = run({paged("none", 0, 1), paged("a", 1, 1)}, source, 2);
    BOOST_TEST(out.ended == 2u);
    BOOST_TEST_REQUIRE(source.calls.size() == 1u);
    BOOST_TEST(source.calls[0].query == "a");
    BOOST_TEST(out.done.at(0).requests == 0);
}

BOOST_AUTO_TEST_CASE(a_rejected_key_starts_no_further_request_and_the_others_end_as_abandoned) {
    // One worker: "bad" goes first (most pages left), fails; nothing else is asked.
    PagedSource source;
    source.failing["bad"] = Failure::auth;
    source.jobs["a"] = 100;
    const auto out = run({paged("a", 2, 1), paged("bad", 3, 1)}, source, 1);
    BOOST_TEST_REQUIRE(source.calls.size() == 1u);
    BOOST_TEST(source.calls[0].query == "bad");
    BOOST_TEST(out.ended == 1u);
    BOOST_TEST((out.done.at(1).failure == Failure::auth));
    BOOST_TEST(out.abandoned.empty());  // "a" never started
    BOOST_TEST(out.rows.empty());
}

BOOST_AUTO_TEST_CASE(a_stop_starts_nothing_more_but_keeps_the_pages_already_asked_for) {
    // Two workers; the stop comes while both requests are out, which are held until the fetch
    // has been halted. Both are answered and their pages handed on; no request follows, and
    // both queries are abandoned with what they cost.
    PagedSource source;
    source.jobs["a"] = 100;
    source.jobs["b"] = 100;
    std::atomic<int> entered{0};
    std::atomic<bool> halted{false};
    source.before_fetch = [&](const std::string&) {
        ++entered;
        while (!halted.load()) std::this_thread::yield();
    };
    Collected out;
    sync::RequestFetchHandlers handlers;
    handlers.on_page = [&](std::size_t, sync::FetchedPage&& page) {
        for (const auto& row : page.rows) out.rows.push_back(row.job_id.str());
    };
    handlers.on_done = [&](std::size_t q, const sync::FetchOutcome& o) { out.done[q] = o; };
    handlers.on_abandoned = [&](std::size_t q, const sync::FetchOutcome& o) {
        out.abandoned[q] = o;
    };
    handlers.stop = [&] { return entered.load() == 2; };
    handlers.halt = [&] {
        ++out.halts;
        halted = true;
    };
    const std::size_t ended =
        sync::fetch_as_ready({paged("a", 5, 1), paged("b", 5, 1)}, source, 2, handlers);

    BOOST_TEST(source.calls.size() == 2u);  // no third request
    BOOST_TEST(out.rows.size() == 20u);
    BOOST_TEST(ended == 0u);
    BOOST_TEST(out.done.empty());
    BOOST_TEST_REQUIRE(out.abandoned.size() == 2u);
    BOOST_TEST(out.abandoned.at(0).requests == 1);
    BOOST_TEST(out.abandoned.at(1).pages == 1);
    BOOST_TEST(out.halts == 1);
}

BOOST_AUTO_TEST_CASE(a_caller_that_falls_behind_holds_the_workers_to_concurrency_plus_one_pages) {
    // Four workers, instant answers, and a caller that is slow with its first page: the
    // requests in flight plus the pages the caller is not done with never pass 5. (Without
    // the bound the workers go on asking: 4 pages held by workers, 2 waiting and the caller's
    // own make 7.) Every job still arrives once.
    constexpr std::size_t kConcurrency = 4;
    PagedSource source;
    for (const char* q : {"a", "b", "c", "d", "e", "f"}) source.jobs[q] = 50;
    std::mutex mutex;
    std::size_t units = 0;  // requests not yet answered with a page + pages not yet done with
    std::size_t most_units = 0;
    std::size_t requests_started = 0;
    const auto count = [&](int change) {
        std::lock_guard lock(mutex);
        units = static_cast<std::size_t>(static_cast<int>(units) + change);
        most_units = std::max(most_units, units);
    };
    source.before_fetch = [&](const std::string&) {
        {
            std::lock_guard lock(mutex);
            ++requests_started;
        }
        count(+1);  // becomes its page: counted once until the caller is done with it
    };
    std::vector<std::string> rows;
    bool first = true;
    sync::RequestFetchHandlers handlers;
    handlers.on_page = [&](std::size_t, sync::FetchedPage&& page) {
        if (first) {
            first = false;
            // Give the workers every chance to run ahead (bounded: the bound stops them at 5,
            // so 7 never comes).
            for (int spin = 0; spin < 200000; ++spin) {
                {
                    std::lock_guard lock(mutex);
                    if (requests_started >= 7) break;
                }
                std::this_thread::yield();
            }
        }
        for (const auto& row : page.rows) rows.push_back(row.job_id.str());
        count(-1);
    };
    std::vector<sync::SearchQuery> queries;
    for (const char* q : {"a", "b", "c", "d", "e", "f"}) queries.push_back(paged(q, 5, 1));
    sync::fetch_as_ready(queries, source, kConcurrency, handlers);

    BOOST_TEST(most_units <= kConcurrency + 1);
    BOOST_TEST(most_units >= 2u);  // the caller's page and a request meanwhile: still overlapped
    BOOST_TEST(rows.size() == 6u * 50u);
    std::sort(rows.begin(), rows.end());
    BOOST_TEST((std::adjacent_find(rows.begin(), rows.end()) == rows.end()));
}

// Answers at once, 10 jobs a request, on a clock the test moves (an answer takes 1 ms). Like
// the JSearch client, it waits in before_page() before it builds a page. Records how many
// requests were in flight as each one started (itself included).
class WindowSource final : public sync::JobSource {
  public:
    explicit WindowSource(std::atomic<std::int64_t>& clock_ms) : clock_ms_(clock_ms) {}

    // From this request on (1 up), each one is held until `barrier` requests are in flight
    // (or all `total` have started; at most 2 s), as if JSearch were slow and only more
    // requests at once could keep up.
    int slow_from = 0;
    std::size_t barrier = 0;
    std::size_t total = 0;

    std::mutex mutex;
    std::vector<std::size_t> in_flight_at_start;
    std::size_t in_flight = 0;
    std::size_t in_before_page = 0;
    std::size_t held = 0;    // by the barrier
    std::size_t handed = 0;  // pages the sink took
    std::size_t taken = 0;   // pages the caller took (the caller counts them)
    std::size_t barriers_missed = 0;
    std::map<std::string, int> request_of;  // "query/first_page" -> its number

    sync::FetchOutcome fetch(const sync::SearchQuery& q, const sync::PageSink& sink) override {
        int number = 0;
        {
            std::lock_guard lock(mutex);
            in_flight_at_start.push_back(++in_flight);
            number = static_cast<int>(in_flight_at_start.size());
            request_of[q.text + "/" + std::to_string(q.first_page)] = number;
        }
        if (slow_from > 0 && number >= slow_from) hold_until_barrier();
        clock_ms_ += 1;
        {
            std::lock_guard lock(mutex);
            ++in_before_page;
        }
        sink.before_page();
        {
            std::lock_guard lock(mutex);
            --in_before_page;
        }
        sync::FetchedPage page;
        page.query = q.text;
        page.first_page = q.first_page;
        for (int j = 0; j < 10; ++j) {
            page.rows.push_back(
                job(q.text + "-" + std::to_string(q.first_page) + "-" + std::to_string(j)));
        }
        sink(std::move(page));
        {
            std::lock_guard lock(mutex);
            ++handed;
            --in_flight;
        }
        sync::FetchOutcome outcome;
        outcome.requests = 1;
        outcome.pages = 1;
        return outcome;
    }

    // For a caller with a page in hand: returns once every request in flight waits, for
    // room (the pages waiting for the caller are full: 2) or at the barrier, or after many
    // tries. Then no worker can run ahead any more.
    void settle() {
        for (int spin = 0; spin < 100000; ++spin) {
            {
                std::lock_guard lock(mutex);
                const bool full = handed - taken >= 2;
                if (in_flight == held + (full ? in_before_page : 0)) return;
            }
            std::this_thread::yield();
        }
    }

  private:
    void hold_until_barrier() {
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(2);
        std::unique_lock lock(mutex);
        ++held;
        while (in_flight < barrier && in_flight_at_start.size() < total) {
            if (std::chrono::steady_clock::now() > give_up) {
                ++barriers_missed;
                break;
            }
            lock.unlock();
            std::this_thread::yield();
            lock.lock();
        }
        --held;
    }

    std::atomic<std::int64_t>& clock_ms_;
};

sync::RequestFetchHandlers window_handlers(std::atomic<std::int64_t>& clock_ms) {
    sync::RequestFetchHandlers handlers;
    handlers.now = [&clock_ms] {
        return std::chrono::steady_clock::time_point(std::chrono::milliseconds(clock_ms.load()));
    };
    return handlers;
}

BOOST_AUTO_TEST_CASE(a_caller_that_stays_behind_soon_has_one_request_working_for_it) {
    // Eight workers, answers in 1 ms, a caller taking 100 ms a page (the database is the
    // limit): each page waits far longer than its request took, so the window narrows to one
    // request. Without it, every request after the first few would start with 7 to 8 in flight.
    std::atomic<std::int64_t> clock_ms{0};
    WindowSource source(clock_ms);
    std::size_t rows = 0;
    auto handlers = window_handlers(clock_ms);
    handlers.on_page = [&](std::size_t, sync::FetchedPage&& page) {
        {
            std::lock_guard lock(source.mutex);
            ++source.taken;
        }
        source.settle();  // every worker that can run ahead has
        clock_ms += 100;
        rows += page.rows.size();
    };
    std::vector<sync::SearchQuery> queries;
    for (int q = 0; q < 16; ++q) queries.push_back(paged("q" + std::to_string(q), 5, 1));
    sync::fetch_as_ready(queries, source, 8, handlers);

    BOOST_TEST(rows == 16u * 5u * 10u);
    const auto& starts = source.in_flight_at_start;
    BOOST_TEST_REQUIRE(starts.size() == 80u);
    BOOST_TEST(*std::max_element(starts.begin(), starts.begin() + 8) >= 4u);  // it starts wide
    BOOST_TEST(*std::max_element(starts.begin() + 40, starts.end()) <= 2u);
}

BOOST_AUTO_TEST_CASE(the_window_opens_again_when_the_caller_waits_for_pages) {
    // First as above: the caller is behind and the window narrows to one. Then the caller is
    // quick and JSearch is slow: requests 41 to 48 each answer only once 4 are in flight. The
    // starved caller doubles the window (1, 2, 4) so that they can.
    std::atomic<std::int64_t> clock_ms{0};
    WindowSource source(clock_ms);
    source.slow_from = 41;
    source.barrier = 4;
    source.total = 48;
    auto handlers = window_handlers(clock_ms);
    handlers.on_page = [&](std::size_t, sync::FetchedPage&& page) {
        int number = 0;
        {
            std::lock_guard lock(source.mutex);
            ++source.taken;
            number = source.request_of.at(page.query + "/" + std::to_string(page.first_page));
        }
        if (number < 41) {
            source.settle();
            clock_ms += 100;
        }
    };
    std::vector<sync::SearchQuery> queries;
    for (int q = 0; q < 16; ++q) queries.push_back(paged("q" + std::to_string(q), 3, 1));
    sync::fetch_as_ready(queries, source, 8, handlers);

    const auto& starts = source.in_flight_at_start;
    BOOST_TEST_REQUIRE(starts.size() == 48u);
    BOOST_TEST(*std::max_element(starts.begin() + 30, starts.begin() + 40) <= 2u);  // narrowed
    BOOST_TEST(*std::max_element(starts.begin() + 40, starts.end()) >= 4u);         // open again
    BOOST_TEST(source.barriers_missed == 0u);
}

BOOST_AUTO_TEST_CASE(an_exception_in_a_worker_escapes_after_every_worker_ended) {
    ThrowingSource throwing("b");
    sync::RequestFetchHandlers handlers;
    BOOST_CHECK_THROW(
        sync::fetch_as_ready({query("a"), query("b"), query("c")}, throwing, 3, handlers),
        std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()
