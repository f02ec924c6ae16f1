#include <boost/test/unit_test.hpp>

#include "standins/gateway/api_error.hpp"
#include "standins/gateway/logic_tree.hpp"
#include "standins/gateway/request_params.hpp"
#include "standins/gateway/statements.hpp"

using namespace jobsync::testing::gateway;

namespace {

bool is_pgrst100(const ApiError& error) { return error.status == 400 && error.code == "PGRST100"; }

// A compact rendering: or(a.eq:1,not.and(...)), "~" for a negated filter.
std::string show(const LogicTree& tree) {
    if (tree.kind == LogicTree::Kind::filter) {
        const Filter& f = tree.filter;
        std::string value = f.value;
        if (f.op == FilterOp::in) {
            value = "[";
            for (std::size_t i = 0; i < f.list.size(); ++i) value += (i ? "|" : "") + f.list[i];
            value += "]";
        }
        return (f.negated ? "~" : "") + f.column + ":" + value;
    }
    std::string out = std::string(tree.negated ? "not." : "") +
                      (tree.kind == LogicTree::Kind::all_of ? "and(" : "or(");
    for (std::size_t i = 0; i < tree.children.size(); ++i) {
        out += (i ? "," : "") + show(tree.children[i]);
    }
    return out + ")";
}

std::string parsed(const std::string& key, const std::string& value) {
    return show(parse_logic_tree(key, value));
}

ApiError error_of(const std::string& key, const std::string& value) {
    try {
        parse_logic_tree(key, value);
    } catch (const ApiError& error) {
        return error;
    }
    BOOST_FAIL("no error for " << key << "=" << value);
    throw;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gateway_logic_tree)

BOOST_AUTO_TEST_CASE(or_and_and_hold_filters_with_their_operators) {
    const LogicTree tree = parse_logic_tree("or", "(age.lt.18,age.gt.21)");
    BOOST_TEST((tree.kind == LogicTree::Kind::any_of));
    BOOST_TEST(!tree.negated);
    BOOST_TEST_REQUIRE(tree.children.size() == 2u);
    BOOST_TEST((tree.children[0].filter.op == FilterOp::lt));
    BOOST_TEST(tree.children[0].filter.column == "age");
    BOOST_TEST(tree.children[0].filter.value == "18");
    BOOST_TEST((tree.children[1].filter.op == FilterOp::gt));
    BOOST_TEST(parsed("and", "(id.eq.1)") == "and(id:1)");
}

BOOST_AUTO_TEST_CASE(the_sweep_filter_reads_null_or_older_than_a_quoted_timestamp) {
    const LogicTree tree =
        parse_logic_tree("or", R"((last_seen.is.null,last_seen.lt."2024-05-01T10:00:00.123Z"))");
    BOOST_TEST_REQUIRE(tree.children.size() == 2u);
    BOOST_TEST((tree.children[0].filter.op == FilterOp::is));
    BOOST_TEST(tree.children[0].filter.value == "null");
    BOOST_TEST(tree.children[1].filter.value == "2024-05-01T10:00:00.123Z");
}

BOOST_AUTO_TEST_CASE(trees_nest_and_negate) {
    BOOST_TEST(parsed("or", "(age.eq.14,not.and(age.gte.11,age.lte.17))") ==
               "or(age:14,not.and(age:11,age:17))");
    BOOST_TEST(parsed("not.or", "(id.eq.1,id.eq.2)") == "not.or(id:1,id:2)");
    BOOST_TEST(parsed("and", "(id.eq.1,not.or(id.eq.2,id.not.eq.3),id.in.(1,4))") ==
               "and(id:1,not.or(id:2,~id:3),id:[1|4])");
}

BOOST_AUTO_TEST_CASE(quotes_protect_reserved_characters_and_backslash_escapes) {
    BOOST_TEST(parsed("or", R"q((name.eq."(a,b)",name.like."*x,y*"))q") ==
               "or(name:(a,b),name:*x,y*)");
    BOOST_TEST(parsed("or", R"((name.eq."say \"hi\"",name.eq."back\\slash"))") ==
               R"(or(name:say "hi",name:back\slash))");
    BOOST_TEST(parsed("or", R"((id.in.("1","2,3"),arr.eq.{1,2}))") == "or(id:[1|2,3],arr:{1,2})");
    // A quote not at the end of the value is part of a raw value.
    BOOST_TEST(parsed("or", R"((name.eq."a"b,id.eq.1))") == R"(or(name:"a"b,id:1))");
}

BOOST_AUTO_TEST_CASE(unquoted_values_run_to_the_next_comma_or_parenthesis) {
    BOOST_TEST(parsed("or", "(ts.lt.2024-05-01T10:00:00Z,name.eq.a.b:c)") ==
               "or(ts:2024-05-01T10:00:00Z,name:a.b:c)");
}

BOOST_AUTO_TEST_CASE(spaces_around_parentheses_and_commas_are_allowed) {
    // A raw value keeps the spaces before the next ',' or ')', as in PostgREST (PostgreSQL
    // trims them when it parses a number).
    BOOST_TEST(
        parsed("and", "( and ( id.in.( 1, 2, 3 ) , id.eq.3 ) , or ( id.eq.2 , id.eq.3 ) )") ==
        "and(and(id:[1| 2| 3 ],id:3 ),or(id:2 ,id:3 ))");
    BOOST_TEST(parsed("or", "(lane.is.null , lane.is.NOT_NULL )") == "or(lane:null,lane:not_null)");
}

BOOST_AUTO_TEST_CASE(columns_may_be_named_like_the_logic_operators) {
    BOOST_TEST(parsed("or", "(and_col.eq.x, or_col.eq.y, or.eq.z)") ==
               "or(and_col:x,or_col:y,or:z)");
}

BOOST_AUTO_TEST_CASE(an_empty_tree_is_pgrst100_with_postgrests_wording) {
    const ApiError error = error_of("or", "()");
    BOOST_TEST(is_pgrst100(error));
    BOOST_TEST(error.message == R"q("failed to parse logic tree (())" (line 1, column 4))q");
    BOOST_TEST(*error.details ==
               R"q(unexpected ")" expecting field name (* or [a..z0..9_$]), negation operator )q"
               R"((not) or logic operator (and, or))");
}

BOOST_AUTO_TEST_CASE(malformed_trees_are_pgrst100) {
    for (const char* value :
         {"a.eq.1", "(a.eq.1", "(a.eq.1,)", "(a.eq)", "(a.equals.1)", "(a.is.maybe)", "(a.in.1)",
          "(a.in.(1,2)", R"((a.eq."x)", "(a)", "(a->b.eq.1)", "(and(a.eq.1)", ""}) {
        BOOST_TEST_CONTEXT(value) {
            BOOST_CHECK_EXCEPTION(parse_logic_tree("or", value), ApiError, is_pgrst100);
        }
    }
}

BOOST_AUTO_TEST_CASE(request_params_collect_trees_and_refuse_embedded_ones) {
    const RequestParams params = parse_request_params(
        {{"is_active", "eq.true"}, {"or", "(last_seen.is.null,last_seen.lt.\"2024-01-01Z\")"}});
    BOOST_TEST(params.filters.size() == 1u);
    BOOST_TEST(params.logic.size() == 1u);
    BOOST_TEST(has_row_filter(params));
    BOOST_TEST(!has_row_filter(parse_request_params({{"select", "id"}})));
    BOOST_TEST(has_row_filter(parse_request_params({{"not.and", "(a.eq.1,b.eq.2)"}})));
    BOOST_CHECK_EXCEPTION(parse_request_params({{"child.or", "(a.eq.1)"}}), ApiError, is_pgrst100);
}

BOOST_AUTO_TEST_CASE(trees_become_parenthesised_sql_with_every_value_a_parameter) {
    TableInfo table{"public", "jobs", {{"id", "bigint", std::nullopt}}, {"id"}};
    const RequestParams params =
        parse_request_params({{"is_active", "eq.true"},
                              {"or", R"((last_seen.is.null,last_seen.lt."2024-05-01T10:00:00Z"))"},
                              {"not.and", "(id.gt.1,lane.in.(a,b))"}});
    const Statement s = build_delete(table, params, Return::minimal);
    BOOST_TEST(
        s.sql.find(R"(WHERE "public"."jobs"."is_active" = $1 AND )"
                   R"(("public"."jobs"."last_seen" IS NULL OR )"
                   R"("public"."jobs"."last_seen" < $2) AND )"
                   R"(NOT ("public"."jobs"."id" > $3 AND "public"."jobs"."lane" = ANY ($4)))") !=
            std::string::npos,
        s.sql);
    BOOST_TEST_REQUIRE(s.params.size() == 4u);
    BOOST_TEST(*s.params[1] == "2024-05-01T10:00:00Z");
    BOOST_TEST(*s.params[3] == R"({"a","b"})");
}

BOOST_AUTO_TEST_SUITE_END()
