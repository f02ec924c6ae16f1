#include <boost/test/unit_test.hpp>

#include "standins/gateway/api_error.hpp"
#include "standins/gateway/rpc.hpp"

using namespace jobsync::testing::gateway;

namespace {

RoutineInfo routine(std::vector<RoutineParam> params,
                    RoutineInfo::Returns returns = RoutineInfo::Returns::scalar,
                    bool returns_set = false) {
    RoutineInfo info;
    info.schema = "public";
    info.name = "fn";
    info.params = std::move(params);
    info.returns = returns;
    info.returns_set = returns_set;
    return info;
}

ApiError error_of(const std::vector<RoutineInfo>& routines, const std::set<std::string>& names) {
    try {
        find_routine(routines, "public", "fn", names);
    } catch (const ApiError& error) {
        return error;
    }
    BOOST_FAIL("no error");
    throw;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gateway_rpc)

BOOST_AUTO_TEST_CASE(arguments_must_cover_the_required_parameters_and_name_nothing_else) {
    const std::vector<RoutineInfo> routines = {
        routine({{"p_run_id", "text", true}, {"p_lease_seconds", "integer", false}})};
    BOOST_TEST(&find_routine(routines, "public", "fn", {"p_run_id"}) == &routines[0]);
    BOOST_TEST(&find_routine(routines, "public", "fn", {"p_run_id", "p_lease_seconds"}) ==
               &routines[0]);
    const ApiError missing = error_of(routines, {"p_lease_seconds"});
    BOOST_TEST(missing.status == 404);
    BOOST_TEST(missing.code == "PGRST202");
    BOOST_TEST(missing.message ==
               "Could not find the function public.fn(p_lease_seconds) in the schema cache");
    const ApiError extra = error_of(routines, {"p_run_id", "p_zzz", "p_aaa"});
    BOOST_TEST(extra.message ==
               "Could not find the function public.fn(p_aaa, p_run_id, p_zzz) in the schema cache");
    BOOST_TEST(*extra.details ==
               "Searched for the function public.fn with parameters p_aaa, p_run_id, p_zzz or "
               "with a single unnamed json/jsonb parameter, but no matches were found in the "
               "schema cache.");
    BOOST_TEST(!extra.hint);
    BOOST_TEST(error_of({}, {}).message ==
               "Could not find the function public.fn without parameters in the schema cache");
}

BOOST_AUTO_TEST_CASE(overloads_are_told_apart_by_argument_names_or_are_ambiguous) {
    const std::vector<RoutineInfo> routines = {
        routine({{"a", "integer", true}}),
        routine({{"a", "integer", true}, {"b", "integer", true}}), routine({{"a", "text", true}})};
    BOOST_TEST(&find_routine(routines, "public", "fn", {"a", "b"}) == &routines[1]);
    const ApiError ambiguous = error_of(routines, {"a"});
    BOOST_TEST(ambiguous.status == 300);
    BOOST_TEST(ambiguous.code == "PGRST203");
    BOOST_TEST(ambiguous.message ==
               "Could not choose the best candidate function between: "
               "public.fn(a => integer), public.fn(a => text)");
}

BOOST_AUTO_TEST_CASE(a_call_passes_only_the_given_arguments_by_name_from_the_typed_body) {
    const RoutineInfo begin = routine({{"p_run_id", "text", true},
                                       {"p_lease_seconds", "integer", false},
                                       {"p_counts", "jsonb", false}});
    const Payload payload{{"p_counts", "p_run_id"}, R"({"p_run_id":"r","p_counts":{"a":1}})", true};
    const Statement s = build_call(begin, payload);
    BOOST_TEST(contains(s.sql, R"("public"."fn"("p_run_id" := pgrst_body."p_run_id", )"
                               R"("p_counts" := pgrst_body."p_counts") pgrst_scalar)"));
    BOOST_TEST(contains(s.sql, R"(AS _("p_run_id" text, "p_counts" jsonb) LIMIT 1)"));
    BOOST_TEST(!contains(s.sql, "p_lease_seconds"));
    BOOST_TEST(contains(s.sql, "coalesce((json_agg(_postgrest_t.pgrst_scalar)->0)::text, 'null')"));
    BOOST_TEST(contains(s.sql, "1 AS page_total"));
    BOOST_TEST_REQUIRE(s.params.size() == 1u);
    BOOST_TEST(*s.params[0] == payload.json);
}

BOOST_AUTO_TEST_CASE(the_body_follows_the_return_type) {
    const Payload none{{}, "{}", true};
    const Statement set_of_rows =
        build_call(routine({}, RoutineInfo::Returns::composite, true), none);
    BOOST_TEST(contains(set_of_rows.sql, R"(FROM "public"."fn"() pgrst_call)"));
    BOOST_TEST(contains(set_of_rows.sql, "coalesce(json_agg(_postgrest_t), '[]')::text"));
    BOOST_TEST(contains(set_of_rows.sql, "count(_postgrest_t) AS page_total"));
    BOOST_TEST(set_of_rows.params.empty());
    const Statement set_of_scalars =
        build_call(routine({}, RoutineInfo::Returns::scalar, true), none);
    BOOST_TEST(
        contains(set_of_scalars.sql, "coalesce(json_agg(_postgrest_t.pgrst_scalar), '[]')::text"));
    BOOST_TEST(
        contains(build_call(routine({}, RoutineInfo::Returns::nothing), none).sql, "'' AS body"));
    const Statement variadic =
        build_call(routine({{"v", "integer[]", true, true}}), Payload{{"v"}, R"({"v":[1]})", true});
    BOOST_TEST(contains(variadic.sql, R"(VARIADIC "v" := pgrst_body."v")"));
}

BOOST_AUTO_TEST_SUITE_END()
