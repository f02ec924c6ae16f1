// How many requests fetch_as_ready keeps in flight (sync/request_window.hpp): the rule alone,
// with durations given, no threads.
#include <boost/test/unit_test.hpp>
#include <chrono>

#include "sync/request_window.hpp"

using jobsync::sync::RequestWindow;
using std::chrono::milliseconds;

namespace {

// A window of `concurrency` after `waits` pages each waited 10 ms behind a 1 ms answer.
RequestWindow narrowed(std::size_t concurrency, int waits) {
    RequestWindow window(concurrency);
    for (int i = 0; i < waits; ++i) window.page_waited(milliseconds(1), milliseconds(10));
    return window;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(request_window)

BOOST_AUTO_TEST_CASE(it_starts_at_the_concurrency_and_never_below_one) {
    BOOST_TEST(RequestWindow(8).size() == 8u);
    BOOST_TEST(RequestWindow(1).size() == 1u);
    BOOST_TEST(RequestWindow(0).size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_page_waiting_longer_than_its_request_took_narrows_it_by_one) {
    // The database is the limit: a 5 ms answer waits 40 ms for the caller, again and again.
    RequestWindow window(4);
    window.page_waited(milliseconds(5), milliseconds(40));
    BOOST_TEST(window.size() == 3u);
    window.page_waited(milliseconds(5), milliseconds(40));
    window.page_waited(milliseconds(5), milliseconds(40));
    BOOST_TEST(window.size() == 1u);
    window.page_waited(milliseconds(5), milliseconds(40));
    BOOST_TEST(window.size() == 1u);  // one request always works
}

BOOST_AUTO_TEST_CASE(a_burst_of_slow_answers_waiting_less_than_they_took_leaves_it_wide) {
    // JSearch takes 300 ms; eight answers arrive together and the last waits 280 ms for the
    // caller to take the seven before it. Starting any of them later would have cost time.
    RequestWindow window(8);
    for (int i = 0; i < 8; ++i) window.page_waited(milliseconds(300), milliseconds(40 * i));
    BOOST_TEST(window.size() == 8u);
    window.page_waited(milliseconds(300), milliseconds(300));  // as long as it took: kept too
    BOOST_TEST(window.size() == 8u);
}

BOOST_AUTO_TEST_CASE(a_starved_caller_with_the_window_full_doubles_it_up_to_the_concurrency) {
    RequestWindow window = narrowed(6, 5);
    BOOST_TEST_REQUIRE(window.size() == 1u);
    window.caller_starved(1);
    BOOST_TEST(window.size() == 2u);
    window.caller_starved(2);
    BOOST_TEST(window.size() == 4u);
    window.caller_starved(4);
    BOOST_TEST(window.size() == 6u);  // not 8
    window.caller_starved(6);
    BOOST_TEST(window.size() == 6u);
}

BOOST_AUTO_TEST_CASE(a_starved_caller_with_room_left_in_the_window_does_not_widen_it) {
    // Fewer requests are out than the window allows (the queries have no more pages to ask, or
    // each waits for its previous answer): a wider window would change nothing.
    RequestWindow window = narrowed(8, 6);
    BOOST_TEST_REQUIRE(window.size() == 2u);
    window.caller_starved(1);
    BOOST_TEST(window.size() == 2u);
    window.caller_starved(0);
    BOOST_TEST(window.size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
