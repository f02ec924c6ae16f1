#include <boost/test/unit_test.hpp>
#include <string>

#include "http/server_text.hpp"

using jobsync::http::looks_like_html;
using jobsync::http::one_line;

BOOST_AUTO_TEST_SUITE(server_text)

BOOST_AUTO_TEST_CASE(server_text_becomes_one_trimmed_line) {
    BOOST_TEST(one_line("  duplicate key\n\tvalue \x01 violates  ") ==
               "duplicate key value violates");
    BOOST_TEST(one_line("bad \xFF byte") == "(not UTF-8)");
}

BOOST_AUTO_TEST_CASE(long_text_is_cut_between_characters_and_marked) {
    const std::string text = std::string(9, 'x') + "\xC3\xBC" + "yyy";  // x9, u-umlaut, y3
    BOOST_TEST(one_line(text, 10) == std::string(9, 'x') + "\xC3\xBC...");
    BOOST_TEST(one_line(std::string(10, 'x'), 10) == std::string(10, 'x'));  // nothing cut
}

BOOST_AUTO_TEST_CASE(html_is_told_by_content_type_or_first_character) {
    BOOST_TEST(looks_like_html("text/html; charset=utf-8", "{}"));
    BOOST_TEST(looks_like_html("application/json", "\n <!DOCTYPE html>"));
    BOOST_TEST(!looks_like_html("application/json", R"({"message":"<b>"})"));
}

BOOST_AUTO_TEST_SUITE_END()
