#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "config/dotenv.hpp"

using jobsync::config::DotenvResult;
using jobsync::config::parse_dotenv;

namespace {

DotenvResult parse(const std::string& text) { return parse_dotenv(text, ".env"); }

// The single entry of a one-line file, checked to be alone and error-free.
std::string value_of(const std::string& text) {
    const auto result = parse(text);
    BOOST_TEST_REQUIRE(result.errors.empty());
    BOOST_TEST_REQUIRE(result.entries.size() == 1u);
    return result.entries.front().value;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(dotenv)

BOOST_AUTO_TEST_CASE(plain_pairs_keep_their_order_and_line_numbers) {
    const auto result = parse("A=1\nB=two\n\nC=3");
    BOOST_TEST(result.ok());
    BOOST_TEST_REQUIRE(result.entries.size() == 3u);
    BOOST_TEST(result.entries[0].key == "A");
    BOOST_TEST(result.entries[0].value == "1");
    BOOST_TEST(result.entries[0].line == 1);
    BOOST_TEST(result.entries[1].key == "B");
    BOOST_TEST(result.entries[1].value == "two");
    BOOST_TEST(result.entries[1].line == 2);
    BOOST_TEST(result.entries[2].key == "C");
    BOOST_TEST(result.entries[2].line == 4);
}

BOOST_AUTO_TEST_CASE(comments_and_blank_lines_are_skipped) {
    const auto result = parse("# heading\n\n   \n\t# indented comment\nA=1\n#B=2\n");
    BOOST_TEST(result.ok());
    BOOST_TEST_REQUIRE(result.entries.size() == 1u);
    BOOST_TEST(result.entries[0].key == "A");
    BOOST_TEST(result.entries[0].line == 5);
}

BOOST_AUTO_TEST_CASE(export_prefix_is_ignored) {
    const auto result = parse("export A=1\nexport\tB=2\n  export   C = 3\n");
    BOOST_TEST(result.ok());
    BOOST_TEST_REQUIRE(result.entries.size() == 3u);
    BOOST_TEST(result.entries[0].key == "A");
    BOOST_TEST(result.entries[1].key == "B");
    BOOST_TEST(result.entries[2].key == "C");
    BOOST_TEST(result.entries[2].value == "3");
}

BOOST_AUTO_TEST_CASE(a_variable_named_export_is_still_a_variable) {
    const auto result = parse("export=yes\nexported=1\n");
    BOOST_TEST(result.ok());
    BOOST_TEST_REQUIRE(result.entries.size() == 2u);
    BOOST_TEST(result.entries[0].key == "export");
    BOOST_TEST(result.entries[0].value == "yes");
    BOOST_TEST(result.entries[1].key == "exported");
}

BOOST_AUTO_TEST_CASE(blanks_around_key_and_value_are_trimmed) {
    const auto result = parse("  KEY \t=   some value \t\n");
    BOOST_TEST(result.ok());
    BOOST_TEST_REQUIRE(result.entries.size() == 1u);
    BOOST_TEST(result.entries[0].key == "KEY");
    BOOST_TEST(result.entries[0].value == "some value");
}

BOOST_AUTO_TEST_CASE(single_quotes_keep_everything_literal) {
    BOOST_TEST(value_of(R"(A='x \n $HOME "q" # not a comment')") ==
               R"(x \n $HOME "q" # not a comment)");
}

// No escapes: a backslash is a backslash, and the other kind of quote holds a quote.
BOOST_AUTO_TEST_CASE(double_quotes_keep_everything_literal_too) {
    BOOST_TEST(value_of(R"(A="C:\path\n $HOME it's")") == R"(C:\path\n $HOME it's)");
}

BOOST_AUTO_TEST_CASE(quoted_values_keep_inner_blanks_and_hashes) {
    BOOST_TEST(value_of(R"(A="  spaced # kept  ")") == "  spaced # kept  ");
}

BOOST_AUTO_TEST_CASE(comment_after_closing_quote_is_ignored) {
    BOOST_TEST(value_of("A=\"v\"   # note") == "v");
    BOOST_TEST(value_of("A='v'#note") == "v");
}

BOOST_AUTO_TEST_CASE(inline_comment_needs_a_blank_before_the_hash) {
    BOOST_TEST(value_of("A=value # note") == "value");
    BOOST_TEST(value_of("A=value\t#note") == "value");
    BOOST_TEST(value_of("A=http://host/page#anchor") == "http://host/page#anchor");
    BOOST_TEST(value_of("A=#not-a-comment") == "#not-a-comment");
    BOOST_TEST(value_of("A= # only a comment") == "");
}

BOOST_AUTO_TEST_CASE(equals_signs_inside_values_are_kept) {
    BOOST_TEST(value_of("A=b=c==") == "b=c==");
    BOOST_TEST(value_of("URL=https://h/p?x=1&y=2") == "https://h/p?x=1&y=2");
}

BOOST_AUTO_TEST_CASE(empty_values_are_empty_strings) {
    BOOST_TEST(value_of("A=") == "");
    BOOST_TEST(value_of("A=   ") == "");
    BOOST_TEST(value_of("A=\"\"") == "");
    BOOST_TEST(value_of("A=''") == "");
}

BOOST_AUTO_TEST_CASE(crlf_line_ends_are_accepted) {
    const auto result = parse("A=1\r\nB=\"two\"\r\n# c\r\nC='3'  \r\n");
    BOOST_TEST(result.ok());
    BOOST_TEST_REQUIRE(result.entries.size() == 3u);
    BOOST_TEST(result.entries[0].value == "1");
    BOOST_TEST(result.entries[1].value == "two");
    BOOST_TEST(result.entries[2].value == "3");
    BOOST_TEST(result.entries[2].line == 4);
}

BOOST_AUTO_TEST_CASE(a_utf8_byte_order_mark_is_skipped) {
    const auto result = parse("\xEF\xBB\xBFKEY=v\n");
    BOOST_TEST(result.ok());
    BOOST_TEST_REQUIRE(result.entries.size() == 1u);
    BOOST_TEST(result.entries[0].key == "KEY");
}

BOOST_AUTO_TEST_CASE(utf8_in_values_passes_through) {
    BOOST_TEST(value_of("A=Zürich café") == "Zürich café");
}

// A value never spans lines: an open quote is that line's error, and the next line is read.
BOOST_AUTO_TEST_CASE(a_quote_left_open_is_an_error_at_its_line_and_parsing_goes_on) {
    const auto result = parse("A=1\nSECRET=\"abc123\nB=2\nC='open\n");
    BOOST_TEST(result.errors ==
                   std::vector<std::string>(
                       {".env:2: unterminated double quote in the value of SECRET (add the "
                        "closing \")",
                        ".env:4: unterminated single quote in the value of C (add the closing ')"}),
               boost::test_tools::per_element());
    BOOST_TEST_REQUIRE(result.entries.size() == 2u);
    BOOST_TEST(result.entries[0].key == "A");
    BOOST_TEST(result.entries[1].key == "B");
    BOOST_TEST(result.entries[1].line == 3);
}

BOOST_AUTO_TEST_CASE(a_repeated_key_keeps_both_entries_in_order) {
    const auto result = parse("A=1\nA=2\n");
    BOOST_TEST_REQUIRE(result.entries.size() == 2u);
    BOOST_TEST(result.entries[0].value == "1");
    BOOST_TEST(result.entries[1].value == "2");
}

BOOST_AUTO_TEST_CASE(a_line_without_equals_is_an_error_and_parsing_goes_on) {
    const auto result = parse("A=1\njust-a-pasted-key-abc123\nexport B\nC=3\n");
    BOOST_TEST_REQUIRE(result.errors.size() == 2u);
    BOOST_TEST(result.errors[0] == ".env:2: expected KEY=value but found no '='");
    BOOST_TEST(result.errors[1] == ".env:3: expected KEY=value but found no '='");
    BOOST_TEST_REQUIRE(result.entries.size() == 2u);
    BOOST_TEST(result.entries[1].key == "C");
    BOOST_TEST(result.entries[1].line == 4);
}

BOOST_AUTO_TEST_CASE(invalid_key_names_are_errors) {
    const auto result = parse("1ABC=x\nMY-KEY=x\nMY KEY=x\n=x\nGOOD_1=ok\n");
    BOOST_TEST_REQUIRE(result.errors.size() == 4u);
    for (int i = 0; i < 4; ++i) {
        BOOST_TEST(result.errors[i] == ".env:" + std::to_string(i + 1) +
                                           ": invalid variable name before '=' (use letters, "
                                           "digits and '_', not starting with a digit)");
    }
    BOOST_TEST_REQUIRE(result.entries.size() == 1u);
    BOOST_TEST(result.entries[0].key == "GOOD_1");
}

BOOST_AUTO_TEST_CASE(text_after_a_closing_quote_is_an_error) {
    const auto result = parse("A=\"x\"y\nB=2");
    BOOST_TEST_REQUIRE(result.errors.size() == 1u);
    BOOST_TEST(result.errors[0] ==
               ".env:1: unexpected text after the closing quote of A (quote the whole value, "
               "or put a blank before a # comment)");
    BOOST_TEST_REQUIRE(result.entries.size() == 1u);
    BOOST_TEST(result.entries[0].key == "B");
}

BOOST_AUTO_TEST_CASE(errors_never_echo_values) {
    const std::string secret = "sk_live_DO_NOT_PRINT";
    const auto result =
        parse("TOKEN: " + secret + "=\n" + secret + "\nK=\"" + secret + "\"x\n" + "Q='" + secret);
    BOOST_TEST_REQUIRE(result.errors.size() == 4u);
    for (const auto& error : result.errors) {
        BOOST_TEST(error.find("DO_NOT_PRINT") == std::string::npos, error);
    }
}

BOOST_AUTO_TEST_CASE(errors_name_the_source) {
    const auto result = parse_dotenv("oops", "/etc/job-sync/.env");
    BOOST_TEST_REQUIRE(result.errors.size() == 1u);
    BOOST_TEST(result.errors[0] == "/etc/job-sync/.env:1: expected KEY=value but found no '='");
}

BOOST_AUTO_TEST_CASE(an_empty_text_has_no_entries_and_no_errors) {
    BOOST_TEST(parse("").ok());
    BOOST_TEST(parse("").entries.empty());
    BOOST_TEST(parse("\n\n").entries.empty());
}

BOOST_AUTO_TEST_SUITE_END()
