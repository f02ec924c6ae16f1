#include <boost/test/unit_test.hpp>

#include "config/queries.hpp"

using jobsync::config::merge_queries;
using jobsync::config::parse_queries_file;
using jobsync::config::split_queries;
using Queries = std::vector<std::string>;

BOOST_AUTO_TEST_SUITE(queries)

BOOST_AUTO_TEST_CASE(a_queries_file_has_one_query_a_line_and_skips_comments_and_blanks) {
    const auto queries = parse_queries_file(
        "\xEF\xBB\xBF# engineering\r\nrust developer in berlin\r\n\r\n   \n"
        "  # indented comment\n  c# developer  \nnurse, night shift");
    BOOST_TEST(queries ==
               (Queries{"rust developer in berlin", "c# developer", "nurse, night shift"}));
}

BOOST_AUTO_TEST_CASE(jsearch_queries_are_split_on_semicolons) {
    BOOST_TEST(split_queries(" a ; b;;c; ") == (Queries{"a", "b", "c"}));
    BOOST_TEST(split_queries("").empty());
    BOOST_TEST(split_queries(" ; ").empty());
}

BOOST_AUTO_TEST_CASE(merging_keeps_order_trims_and_drops_exact_duplicates) {
    const auto merged = merge_queries({{" a ", "b", ""}, {"c", "a"}, {"B", "b", "d"}});
    BOOST_TEST(merged == (Queries{"a", "b", "c", "B", "d"}));
}

BOOST_AUTO_TEST_SUITE_END()
