// The upsert workers' queue on its own: every batch sent once, the bounds on batches waiting
// and being sent, a worker's exception handed back to the caller, and the inline mode.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sync/upsert_workers.hpp"

using jobsync::sync::UpsertBatch;
using jobsync::sync::UpsertWorkers;

namespace {

UpsertBatch numbered(std::size_t n) {
    UpsertBatch batch;
    batch.rows = 1;
    batch.json = "[" + std::to_string(n) + "]";
    return batch;
}

// A gate the sends wait at until the test opens it.
class Gate {
  public:
    void wait() {
        std::unique_lock lock(mutex_);
        opened_.wait(lock, [this] { return open_; });
    }
    void open() {
        {
            std::lock_guard lock(mutex_);
            open_ = true;
        }
        opened_.notify_all();
    }

  private:
    std::mutex mutex_;
    std::condition_variable opened_;
    bool open_ = false;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(upsert_workers)

BOOST_AUTO_TEST_CASE(every_batch_is_sent_exactly_once_by_the_workers) {
    std::mutex mutex;
    std::multiset<std::string> sent;
    std::set<std::thread::id> threads;
    UpsertWorkers workers(4, 4, [&](UpsertBatch&& batch) {
        std::lock_guard lock(mutex);
        sent.insert(batch.json);
        threads.insert(std::this_thread::get_id());
    });
    std::multiset<std::string> expected;
    for (std::size_t i = 0; i < 200; ++i) {
        expected.insert(numbered(i).json);
        workers.submit(numbered(i));
    }
    workers.finish();
    BOOST_TEST(sent == expected);
    BOOST_TEST(threads.count(std::this_thread::get_id()) == 0u);  // never the caller's thread
    BOOST_TEST(workers.peak_sending() <= 4u);
    BOOST_TEST(workers.peak_waiting() <= 4u);
}

BOOST_AUTO_TEST_CASE(one_worker_sends_in_the_order_handed_on) {
    std::vector<std::string> sent;
    UpsertWorkers workers(1, 3, [&](UpsertBatch&& batch) { sent.push_back(batch.json); });
    std::vector<std::string> expected;
    for (std::size_t i = 0; i < 50; ++i) {
        expected.push_back(numbered(i).json);
        workers.submit(numbered(i));
    }
    workers.finish();
    BOOST_TEST(sent == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_batch_sent_after_another_waits_until_that_one_was_answered) {
    // Batch 1 is stuck in its send; batch 2 must wait for it (after = 1), batch 3 need not.
    Gate gate;
    std::mutex mutex;
    std::vector<std::string> order;  // sends ended, in order
    std::atomic<int> started{0};
    UpsertWorkers workers(3, 3, [&](UpsertBatch&& batch) {
        ++started;
        if (batch.sequence == 1) gate.wait();
        std::lock_guard lock(mutex);
        order.push_back(batch.json);
    });
    for (std::uint32_t n = 1; n <= 3; ++n) {
        UpsertBatch batch = numbered(n);
        batch.sequence = n;
        if (n == 2) batch.after = 1;
        workers.submit(std::move(batch));
    }
    // Batch 3 ends while 1 is stuck and 2 waits.
    for (int i = 0; i < 500; ++i) {
        {
            std::lock_guard lock(mutex);
            if (!order.empty()) break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    {
        std::lock_guard lock(mutex);
        BOOST_TEST(order == std::vector<std::string>{"[3]"}, boost::test_tools::per_element());
    }
    BOOST_TEST(started.load() == 2);  // 1 and 3; 2 has not started its send
    gate.open();
    workers.finish();
    BOOST_TEST(order == (std::vector<std::string>{"[3]", "[1]", "[2]"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_waiting_batch_is_dropped_when_the_batch_it_waits_for_throws) {
    std::atomic<int> sends{0};
    UpsertWorkers workers(2, 2, [&](UpsertBatch&& batch) {
        ++sends;
        if (batch.sequence == 1) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            throw std::runtime_error("a bug in the sender");
        }
    });
    UpsertBatch first = numbered(1);
    first.sequence = 1;
    UpsertBatch second = numbered(2);
    second.sequence = 2;
    second.after = 1;
    workers.submit(std::move(first));
    workers.submit(std::move(second));
    BOOST_CHECK_THROW(workers.finish(), std::runtime_error);
    BOOST_TEST(sends.load() == 1);
}

BOOST_AUTO_TEST_CASE(a_full_queue_holds_the_caller_so_batches_never_pile_up) {
    // Two workers stuck in their sends, a queue of 3: the caller gets 5 batches in, then
    // waits; nothing more is accepted until the database answers.
    Gate gate;
    std::atomic<int> started{0};
    UpsertWorkers workers(2, 3, [&](UpsertBatch&&) {
        ++started;
        gate.wait();
    });
    std::atomic<int> handed_on{0};
    std::thread producer([&] {
        for (std::size_t i = 0; i < 20; ++i) {
            workers.submit(numbered(i));
            ++handed_on;
        }
    });
    // Wait (without a clock) until both workers hold a batch and the queue is full.
    while (started.load() < 2 || handed_on.load() < 5) std::this_thread::yield();
    BOOST_TEST(handed_on.load() == 5);  // the sixth waits for room
    BOOST_TEST(workers.peak_waiting() == 3u);
    gate.open();
    producer.join();
    workers.finish();
    BOOST_TEST(started.load() == 20);
    BOOST_TEST(workers.peak_sending() == 2u);
    BOOST_TEST(workers.peak_waiting() == 3u);
}

BOOST_AUTO_TEST_CASE(a_workers_exception_reaches_the_caller_and_the_rest_is_dropped) {
    std::atomic<int> sent{0};
    UpsertWorkers workers(2, 2, [&](UpsertBatch&& batch) {
        if (batch.json == "[3]") throw std::runtime_error("boom");
        ++sent;
    });
    bool thrown = false;
    try {
        for (std::size_t i = 0; i < 1000; ++i) workers.submit(numbered(i));
        workers.finish();
    } catch (const std::runtime_error& e) {
        thrown = std::string(e.what()) == "boom";
    }
    BOOST_TEST(thrown);
    BOOST_TEST(sent.load() < 999);  // the workers stopped taking batches
}

BOOST_AUTO_TEST_CASE(without_workers_each_batch_is_sent_on_the_callers_thread_at_once) {
    std::vector<std::string> sent;
    std::set<std::thread::id> threads;
    UpsertWorkers workers(0, 0, [&](UpsertBatch&& batch) {
        sent.push_back(batch.json);
        threads.insert(std::this_thread::get_id());
    });
    workers.submit(numbered(1));
    BOOST_TEST(sent == (std::vector<std::string>{"[1]"}), boost::test_tools::per_element());
    workers.submit(numbered(2));
    workers.finish();
    BOOST_TEST(sent.size() == 2u);
    BOOST_TEST(threads == (std::set<std::thread::id>{std::this_thread::get_id()}));
}

BOOST_AUTO_TEST_CASE(destroying_unfinished_workers_drops_what_waits_and_joins) {
    Gate gate;
    std::atomic<int> sent{0};
    {
        UpsertWorkers workers(1, 4, [&](UpsertBatch&&) {
            gate.wait();
            ++sent;
        });
        for (std::size_t i = 0; i < 5; ++i) workers.submit(numbered(i));
        gate.open();
    }  // the destructor must not hang, nor leave a thread behind
    BOOST_TEST(sent.load() >= 1);
    BOOST_TEST(sent.load() <= 5);
}

BOOST_AUTO_TEST_SUITE_END()
