#include <boost/test/unit_test.hpp>
#include <optional>
#include <stdexcept>
#include <vector>

#include "sync/reorder_buffer.hpp"

using jobsync::sync::ReorderBuffer;

namespace {

std::vector<int> pop_all(ReorderBuffer<int>& buffer) {
    std::vector<int> out;
    while (auto item = buffer.pop()) out.push_back(*item);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(reorder_buffer)

BOOST_AUTO_TEST_CASE(items_come_out_in_sequence_order_whatever_the_arrival_order) {
    ReorderBuffer<int> buffer(3, 10);
    buffer.push(2, 20, false);
    buffer.push(1, 10, false);
    buffer.push(2, 21, true);
    BOOST_TEST(pop_all(buffer).empty());  // sequence 0 has not arrived
    buffer.push(0, 0, false);
    buffer.push(1, 11, true);
    BOOST_TEST(pop_all(buffer) == std::vector<int>{0}, boost::test_tools::per_element());
    buffer.push(0, 1, true);
    BOOST_TEST(pop_all(buffer) == (std::vector<int>{1, 10, 11, 20, 21}),
               boost::test_tools::per_element());
    BOOST_TEST(buffer.done());
}

BOOST_AUTO_TEST_CASE(later_sequences_wait_when_full_but_the_head_never_does) {
    ReorderBuffer<int> buffer(3, 2);
    buffer.push(1, 10, false);
    buffer.push(2, 20, false);
    BOOST_TEST(!buffer.can_accept(1));
    BOOST_TEST(!buffer.can_accept(2));
    BOOST_TEST(buffer.can_accept(0));
    buffer.push(0, 0, true);
    BOOST_TEST(buffer.held() == 3u);
    BOOST_TEST(*buffer.pop() == 0);
    BOOST_TEST(buffer.head() == 1u);
    BOOST_TEST(buffer.can_accept(1));  // now the head
    BOOST_TEST(!buffer.can_accept(2));
    BOOST_TEST(*buffer.pop() == 10);
    BOOST_TEST(buffer.can_accept(2));
}

BOOST_AUTO_TEST_CASE(a_sequence_without_items_but_its_last_is_passed_over) {
    ReorderBuffer<int> buffer(2, 4);
    buffer.push(1, 99, true);
    buffer.push(0, -1, true);
    BOOST_TEST(pop_all(buffer) == (std::vector<int>{-1, 99}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(drain_hands_back_what_was_never_released) {
    ReorderBuffer<int> buffer(3, 4);
    buffer.push(2, 20, true);
    buffer.push(1, 10, false);
    BOOST_TEST(buffer.drain() == (std::vector<int>{10, 20}), boost::test_tools::per_element());
    BOOST_TEST(buffer.held() == 0u);
}

BOOST_AUTO_TEST_CASE(an_item_for_a_released_sequence_is_a_bug) {
    ReorderBuffer<int> buffer(2, 4);
    buffer.push(0, 0, true);
    buffer.pop();
    BOOST_CHECK_THROW(buffer.push(0, 1, true), std::logic_error);
    BOOST_CHECK_THROW(buffer.push(2, 1, true), std::logic_error);
}

BOOST_AUTO_TEST_SUITE_END()
