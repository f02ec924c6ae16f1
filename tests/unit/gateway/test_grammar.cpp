#include <boost/test/unit_test.hpp>

#include "standins/gateway/api_error.hpp"
#include "standins/gateway/grammar.hpp"

using namespace jobsync::testing::gateway;

namespace {

bool is_pgrst100(const ApiError& error) { return error.status == 400 && error.code == "PGRST100"; }

}  // namespace

BOOST_AUTO_TEST_SUITE(gateway_grammar)

BOOST_AUTO_TEST_CASE(an_eq_filter_keeps_its_value_verbatim_including_dots_and_colons) {
    const Filter f = parse_filter("last_seen", "lt.2024-05-01T10:00:00.5Z");
    BOOST_TEST(f.column == "last_seen");
    BOOST_TEST(!f.negated);
    BOOST_TEST(static_cast<int>(f.op) == static_cast<int>(FilterOp::lt));
    BOOST_TEST(f.value == "2024-05-01T10:00:00.5Z");
}

BOOST_AUTO_TEST_CASE(the_not_prefix_negates_any_operator) {
    const Filter f = parse_filter("lane", "not.is.null");
    BOOST_TEST(f.negated);
    BOOST_TEST(static_cast<int>(f.op) == static_cast<int>(FilterOp::is));
    BOOST_TEST(f.value == "null");
}

BOOST_AUTO_TEST_CASE(is_accepts_only_its_five_values_case_insensitively) {
    BOOST_TEST(parse_filter("a", "is.NOT_NULL").value == "not_null");
    BOOST_TEST(parse_filter("a", "is.true").value == "true");
    BOOST_CHECK_EXCEPTION(parse_filter("a", "is.maybe"), ApiError, is_pgrst100);
}

BOOST_AUTO_TEST_CASE(in_lists_split_on_commas_and_honour_double_quotes_and_escapes) {
    const Filter f = parse_filter("job_id", R"(in.(a,"b,c","d\"e",f.g))");
    BOOST_TEST_REQUIRE(f.list.size() == 4u);
    BOOST_TEST(f.list[0] == "a");
    BOOST_TEST(f.list[1] == "b,c");
    BOOST_TEST(f.list[2] == "d\"e");
    BOOST_TEST(f.list[3] == "f.g");
    BOOST_TEST(parse_filter("job_id", "in.()").list.empty());
}

BOOST_AUTO_TEST_CASE(malformed_filters_are_pgrst100) {
    BOOST_CHECK_EXCEPTION(parse_filter("a", "1"), ApiError, is_pgrst100);
    BOOST_CHECK_EXCEPTION(parse_filter("a", "equals.1"), ApiError, is_pgrst100);
    BOOST_CHECK_EXCEPTION(parse_filter("a", "in.1,2"), ApiError, is_pgrst100);
    BOOST_CHECK_EXCEPTION(parse_filter("a", "in.(\"open)"), ApiError, is_pgrst100);
}

BOOST_AUTO_TEST_CASE(select_parses_columns_aliases_and_casts) {
    const auto items = parse_select("id, title:job_title,salary:job_min_salary::text,*");
    BOOST_TEST_REQUIRE(items.size() == 4u);
    BOOST_TEST(items[0].column == "id");
    BOOST_TEST(items[1].alias == "title");
    BOOST_TEST(items[1].column == "job_title");
    BOOST_TEST(items[2].column == "job_min_salary");
    BOOST_TEST(items[2].cast == "text");
    BOOST_TEST(items[3].column == "*");
    BOOST_CHECK_EXCEPTION(parse_select("id,employer(name)"), ApiError, is_pgrst100);
    BOOST_CHECK_EXCEPTION(parse_select("id::text;drop"), ApiError, is_pgrst100);
}

BOOST_AUTO_TEST_CASE(order_terms_take_direction_and_nulls_placement) {
    const auto terms = parse_order("job_posted_at_datetime_utc.desc.nullslast,id");
    BOOST_TEST_REQUIRE(terms.size() == 2u);
    BOOST_TEST(terms[0].column == "job_posted_at_datetime_utc");
    BOOST_TEST(terms[0].descending);
    BOOST_TEST(static_cast<int>(terms[0].nulls) == static_cast<int>(OrderTerm::Nulls::last));
    BOOST_TEST(terms[1].column == "id");
    BOOST_TEST(!terms[1].descending);
    BOOST_CHECK_EXCEPTION(parse_order("id.sideways"), ApiError, is_pgrst100);
}

BOOST_AUTO_TEST_CASE(column_lists_accept_quoted_names_as_supabase_js_sends_them) {
    const auto names = parse_column_list(R"("job_id","job_title",lane)", "columns");
    BOOST_TEST_REQUIRE(names.size() == 3u);
    BOOST_TEST(names[0] == "job_id");
    BOOST_TEST(names[2] == "lane");
    BOOST_CHECK_EXCEPTION(parse_column_list("", "columns"), ApiError, is_pgrst100);
}

BOOST_AUTO_TEST_CASE(identifiers_and_array_literals_are_quoted_safely) {
    BOOST_TEST(quote_ident("we\"ird") == "\"we\"\"ird\"");
    BOOST_TEST(array_literal({"a", "b\"c", "d\\e"}) == R"({"a","b\"c","d\\e"})");
    BOOST_TEST(like_pattern("*engineer*") == "%engineer%");
}

BOOST_AUTO_TEST_CASE(limits_are_non_negative_integers) {
    BOOST_TEST(parse_non_negative("10").value() == 10);
    BOOST_TEST(!parse_non_negative("-1").has_value());
    BOOST_TEST(!parse_non_negative("ten").has_value());
}

BOOST_AUTO_TEST_SUITE_END()
