#include <boost/test/unit_test.hpp>
#include <string>

#include "http/buffer_pool.hpp"

using jobsync::http::BufferPool;

BOOST_AUTO_TEST_SUITE(buffer_pool)

BOOST_AUTO_TEST_CASE(a_buffer_given_back_is_taken_again_empty_with_its_room) {
    BufferPool pool(1024, 1 << 20, 4, 100);
    std::string first = pool.take(4096);
    BOOST_TEST(first.capacity() >= 4096u);
    first.assign(3000, 'x');
    const char* memory = first.data();
    pool.give(std::move(first));
    BOOST_TEST(pool.kept() == 1u);

    const std::string again = pool.take(2000);
    BOOST_TEST(again.empty());
    BOOST_TEST(again.data() == memory);
    BOOST_TEST(pool.kept() == 0u);
}

BOOST_AUTO_TEST_CASE(the_smallest_buffer_that_fits_is_taken) {
    BufferPool pool(1024, 1 << 20, 4, 100);
    std::string small = pool.take(2048);
    std::string large = pool.take(300000);
    const char* small_memory = small.data();
    const char* large_memory = large.data();
    pool.give(std::move(large));
    pool.give(std::move(small));

    BOOST_TEST(pool.take(1500).data() == small_memory);
    BOOST_TEST(pool.take(30000).data() == large_memory);
}

BOOST_AUTO_TEST_CASE(a_kept_buffer_too_small_for_the_request_is_grown_not_kept_beside_a_new_one) {
    BufferPool pool(1024, 1 << 20, 4, 100);
    std::string first = pool.take(2048);
    std::string second = pool.take(8192);
    pool.give(std::move(first));
    pool.give(std::move(second));
    BOOST_TEST(pool.kept() == 2u);
    const std::string bigger = pool.take(100000);
    BOOST_TEST(bigger.capacity() >= 100000u);
    BOOST_TEST(pool.kept() == 1u);
}

BOOST_AUTO_TEST_CASE(sizes_a_little_apart_share_one_buffer) {
    BufferPool pool(1024, 1 << 20, 4, 100);
    std::string first = pool.take(700000);
    const char* memory = first.data();
    pool.give(std::move(first));
    BOOST_TEST(pool.take(700100).data() == memory);
}

BOOST_AUTO_TEST_CASE(buffers_outside_the_limits_or_past_the_count_are_freed) {
    BufferPool pool(1024, 1 << 20, 2, 100);
    pool.give(std::string(100, 'x'));      // smaller than worth keeping
    pool.give(std::string(2 << 20, 'x'));  // larger than the pool keeps
    BOOST_TEST(pool.kept() == 0u);
    pool.give(pool.take(4096));
    pool.give(pool.take(4096));
    pool.give(std::string(4096, 'x'));
    BOOST_TEST(pool.kept() == 2u);
}

BOOST_AUTO_TEST_CASE(small_requests_get_a_fresh_buffer_and_leave_the_kept_ones) {
    BufferPool pool(1024, 1 << 20, 4, 100);
    pool.give(pool.take(4096));
    const std::string small = pool.take(10);
    BOOST_TEST(small.empty());
    BOOST_TEST(pool.kept() == 1u);
}

BOOST_AUTO_TEST_CASE(buffers_left_idle_past_the_idle_takes_are_freed_and_busy_ones_stay) {
    // Three requests at once at the start, then one at a time: after 3 more takes the two
    // buffers nobody took are freed; the one in use stays, however long the run.
    BufferPool pool(1024, 1 << 20, 8, 3);
    std::string a = pool.take(4096);
    std::string b = pool.take(4096);
    std::string c = pool.take(4096);
    pool.give(std::move(a));
    pool.give(std::move(b));
    pool.give(std::move(c));
    BOOST_TEST(pool.kept() == 3u);
    std::string busy = pool.take(4096);
    const char* memory = busy.data();
    for (int i = 0; i < 3; ++i) {
        pool.give(std::move(busy));
        BOOST_TEST(pool.kept() == 3u);  // not idle long enough yet
        busy = pool.take(4096);
    }
    pool.give(std::move(busy));
    busy = pool.take(4096);  // the 4th take since the other two were given back
    BOOST_TEST(pool.kept() == 0u);
    for (int i = 0; i < 10; ++i) {
        BOOST_TEST(busy.data() == memory);
        pool.give(std::move(busy));
        busy = pool.take(4096);
    }
    // Small requests are no takes of the pool's: they age nothing.
    pool.give(std::move(busy));
    for (int i = 0; i < 10; ++i) BOOST_TEST(pool.take(10).capacity() < 1024u);
    BOOST_TEST(pool.kept() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
