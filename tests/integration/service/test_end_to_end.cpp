// End to end against real parts: job-sync -> real HTTP -> the PostgREST-compatible gateway ->
// a real PostgreSQL with the migrations in schema/ applied and row-level security on.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <set>

#include "integration/service/job_json.hpp"
#include "integration/service/service_stack.hpp"

using namespace jobsync::testing;

namespace {

// The column's SQL type, so the fixture's value is compared in it.
std::string column_type(PgConnection& db, const std::string& column) {
    auto rows = db.exec_params(
        "select format_type(atttypid, atttypmod) as t from pg_attribute "
        "where attrelid = 'public.jobs'::regclass and attname = $1",
        {column});
    return rows.at(0, "t").value_or("text");
}

// True when the stored column equals the fixture's value, compared by PostgreSQL in the
// column's own type (numbers as numbers, timestamps as instants, JSON as jsonb); a null or
// missing fixture value must be stored as NULL.
bool stored_equals(PgConnection& db, const std::string& job_id, const std::string& column,
                   const rapidjson::Value* fixture_value) {
    std::string sql;
    std::vector<PgParam> params{job_id};
    if (fixture_value == nullptr || fixture_value->IsNull()) {
        sql = "select (" + column + " is null)::text as same from public.jobs where job_id = $1";
    } else {
        sql = "select (" + column + " = $2::" + column_type(db, column) +
              ")::text as same from public.jobs where job_id = $1";
        params.push_back(fixture_value->IsString() ? fixture_value->GetString()
                                                   : to_json(*fixture_value));
    }
    return db.exec_params(sql, params).at(0, "same") == std::optional<std::string>("true");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(end_to_end)

BOOST_AUTO_TEST_CASE(first_sync_inserts_every_fetched_job_with_every_mapped_field) {
    ServiceStack stack;
    auto result = stack.sync();
    BOOST_TEST_INFO(result.out << result.err);
    BOOST_TEST_REQUIRE(result.exit_code == 0);
    BOOST_TEST(stack.count() == 20);
    BOOST_TEST(stack.count("is_active and last_seen is not null") == 20);
    BOOST_TEST(stack.count("click_count = 0 and lane is null") == 20);

    // Fields the feed carries under the same name, in both schema vintages.
    const std::vector<std::string> same_name = {"job_title",
                                                "employer_name",
                                                "employer_logo",
                                                "employer_website",
                                                "job_publisher",
                                                "job_apply_link",
                                                "job_apply_is_direct",
                                                "job_description",
                                                "job_is_remote",
                                                "job_city",
                                                "job_state",
                                                "job_country",
                                                "job_latitude",
                                                "job_longitude",
                                                "job_min_salary",
                                                "job_max_salary",
                                                "job_salary_period",
                                                "job_highlights",
                                                "job_google_link",
                                                "apply_options",
                                                "job_posted_at_datetime_utc"};
    auto jobs = ServiceStack::chicago_jobs();
    auto python = ServiceStack::python_jobs();
    jobs.insert(jobs.end(), python.begin(), python.end());
    for (const auto& job_json : jobs) {
        rapidjson::Document job;
        job.Parse(job_json.c_str());
        const std::string job_id = job["job_id"].GetString();
        for (const auto& column : same_name) {
            const rapidjson::Value* value =
                job.HasMember(column.c_str()) ? &job[column.c_str()] : nullptr;
            BOOST_TEST_INFO("job " << job_id << " column " << column);
            BOOST_TEST(stored_equals(stack.db(), job_id, column, value));
        }
        if (job.HasMember("job_employment_types") && job["job_employment_types"].IsArray() &&
            !job["job_employment_types"].Empty()) {
            BOOST_TEST(stack.value(job_id, "job_employment_type") ==
                       std::string(job["job_employment_types"][0].GetString()));
        }
    }
    // A spot check written out by hand (2024-11 vintage, first job of the Chicago feed).
    BOOST_TEST(stack.value("VnVsqdlLW-S4XAiNAAAAAA==", "employer_name") == "United Airlines");
    BOOST_TEST(stack.value("VnVsqdlLW-S4XAiNAAAAAA==", "job_employment_type") == "FULLTIME");
}

BOOST_AUTO_TEST_CASE(every_recorded_job_of_every_fixture_file_lands_in_the_table) {
    ServiceStack stack;
    auto all = load_all_fixture_jobs();  // every *.json in the fixtures folder
    std::set<std::string> ids;
    for (const auto& job : all) ids.insert(job_id_of(job));
    stack.jsearch().set_default_jobs(all);
    auto result = stack.sync({"--query", "anything", "--pages", "50"}, {{"JSEARCH_QUERIES", ""}});
    BOOST_TEST_INFO(result.out << result.err);
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST(stack.count("is_active") == static_cast<long>(ids.size()));
}

BOOST_AUTO_TEST_CASE(users_engagement_survives_every_later_sync) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);

    auto chicago = ServiceStack::chicago_jobs();
    const std::string clicked = job_id_of(chicago[0]);   // stays in the feed, changes
    const std::string vanished = job_id_of(chicago[9]);  // leaves the feed, comes back
    stack.db().exec_params(
        "update public.jobs set click_count = 41, lane = 'applied' where job_id = $1", {clicked});
    stack.db().exec_params(
        "update public.jobs set click_count = 5, lane = 'saved' where job_id = $1", {vanished});

    // Day 2: the first job's title changed, the last one vanished, a new one appeared.
    rapidjson::Document changed;
    changed.Parse(chicago[0].c_str());
    changed["job_title"].SetString("Senior Software Developer");
    chicago[0] = to_json(changed);
    const std::string vanished_json = chicago[9];
    chicago.pop_back();
    auto fresh = generate_jobs(1, "day-two");
    chicago.push_back(fresh[0]);
    stack.jsearch().set_jobs(ServiceStack::kChicago, chicago);
    auto day2 = stack.sync();
    BOOST_TEST_INFO(day2.out << day2.err);
    BOOST_TEST_REQUIRE(day2.exit_code == 0);

    BOOST_TEST(stack.value(clicked, "click_count") == "41");
    BOOST_TEST(stack.value(clicked, "lane") == "applied");
    BOOST_TEST(stack.value(clicked, "job_title") == "Senior Software Developer");
    BOOST_TEST(stack.value(clicked, "is_active") == "true");
    BOOST_TEST(stack.value(vanished, "is_active") == "false");
    BOOST_TEST(stack.value(vanished, "click_count") == "5");
    BOOST_TEST(stack.value(job_id_of(fresh[0]), "is_active") == "true");
    BOOST_TEST(stack.count() == 21);
    BOOST_TEST(stack.count("is_active") == 20);

    // Day 3: the vanished job is back, active again with its engagement intact.
    chicago.push_back(vanished_json);
    stack.jsearch().set_jobs(ServiceStack::kChicago, chicago);
    auto day3 = stack.sync({"--pages", "2"});
    BOOST_TEST_REQUIRE(day3.exit_code == 0);
    BOOST_TEST(stack.value(vanished, "is_active") == "true");
    BOOST_TEST(stack.value(vanished, "click_count") == "5");
    BOOST_TEST(stack.value(vanished, "lane") == "saved");
    BOOST_TEST(stack.value(clicked, "click_count") == "41");
    BOOST_TEST(stack.count("is_active") == 21);
}

BOOST_AUTO_TEST_CASE(the_anon_key_reads_only_active_jobs_and_cannot_write) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    stack.db().exec(
        "update public.jobs set is_active = false where job_id in "
        "(select job_id from public.jobs order by job_id limit 4)");

    auto transport = jobsync::http::make_cpprest_transport();
    const std::string anon = stack.anon_key();
    jobsync::http::Request read{"GET",
                                stack.gateway().base_url() + "/rest/v1/jobs?select=job_id",
                                {{"apikey", anon}, {"Authorization", "Bearer " + anon}},
                                ""};
    auto response = transport->send(read);
    BOOST_TEST(response.status == 200);
    rapidjson::Document rows;
    rows.Parse(response.body.c_str());
    BOOST_TEST_REQUIRE(rows.IsArray());
    BOOST_TEST(rows.Size() == 16u);

    jobsync::http::Request write{"PATCH",
                                 stack.gateway().base_url() + "/rest/v1/jobs?job_id=neq.x",
                                 {{"apikey", anon},
                                  {"Authorization", "Bearer " + anon},
                                  {"Content-Type", "application/json"}},
                                 R"({"is_active":false})"};
    auto refused = transport->send(write);
    // RLS has no UPDATE policy for anon and the grant is revoked: PostgreSQL refuses (42501)
    // or the filter matches no row it may see; either way nothing changes.
    BOOST_TEST((refused.status == 401 || refused.status == 403 || refused.status == 204));
    BOOST_TEST(stack.count("is_active") == 16);
}

BOOST_AUTO_TEST_CASE(job_sync_given_the_anon_key_fails_clearly_and_changes_nothing) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    stack.gateway().clear_requests();
    stack.jsearch().set_jobs(ServiceStack::kPython, {});

    auto result = stack.sync({}, {{"SUPABASE_SERVICE_ROLE_KEY", stack.anon_key()}});
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(result.err.find("anon") != std::string::npos);
    BOOST_TEST(result.err.find("SUPABASE_SERVICE_ROLE_KEY") != std::string::npos);
    BOOST_TEST(result.err.find(stack.anon_key()) == std::string::npos);
    BOOST_TEST(stack.gateway().requests().empty());
    BOOST_TEST(stack.count("is_active") == 20);
}

BOOST_AUTO_TEST_CASE(a_key_the_project_rejects_fails_with_exit_3_and_changes_nothing) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    stack.jsearch().set_jobs(ServiceStack::kPython, {});
    // A service_role JWT signed with another project's secret: the gateway refuses it.
    const std::string foreign = mint_jwt("some-other-projects-secret-value", "service_role");
    auto result = stack.sync({}, {{"SUPABASE_SERVICE_ROLE_KEY", foreign}});
    BOOST_TEST(result.exit_code == 3);
    BOOST_TEST((result.out + result.err + result.log).find(foreign) == std::string::npos);
    BOOST_TEST(stack.count("is_active") == 20);
}

BOOST_AUTO_TEST_CASE(a_failed_jsearch_query_leaves_every_active_job_active) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    stack.jsearch().set_jobs(ServiceStack::kChicago, {});  // would deactivate 10 jobs ...
    for (int i = 0; i < 3; ++i) {
        stack.jsearch().script(
            {500, {}, R"({"message":"Internal Server Error"})", ServiceStack::kPython});
    }
    auto result = stack.sync();  // ... but the python query fails, so nothing is swept
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(stack.count("is_active") == 20);
}

BOOST_AUTO_TEST_CASE(an_empty_feed_never_empties_the_board) {
    ServiceStack stack;
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    stack.jsearch().set_jobs(ServiceStack::kChicago, {});
    stack.jsearch().set_jobs(ServiceStack::kPython, {});
    auto result = stack.sync();
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(result.out.find("no jobs fetched") != std::string::npos);
    BOOST_TEST(stack.count("is_active") == 20);
}

BOOST_AUTO_TEST_CASE(the_database_going_away_mid_run_leaves_every_active_job_active) {
    ServiceStack stack(/*own_cluster=*/true);
    BOOST_TEST_REQUIRE(stack.sync().exit_code == 0);
    stack.jsearch().set_jobs(ServiceStack::kPython, {});  // would deactivate 10 jobs
    // The harness commits asynchronously (synchronous_commit=off) and stops the server with
    // -m immediate: without a checkpoint the first run's rows could be lost with it, which
    // says nothing about job-sync. Batches in flight when it stops are what this test is about.
    stack.db().exec("checkpoint");

    std::atomic<int> posts{0};
    stack.gateway().set_before_request([&](const RecordedRequest& request) {
        if (request.method == "POST" && request.path == "/rest/v1/jobs" && ++posts == 2) {
            stack.cluster().stop();
        }
    });
    auto result = stack.sync({"--batch-size", "5"});  // 2 batches of 5; the 2nd finds no DB
    stack.gateway().set_before_request(nullptr);
    BOOST_TEST_INFO(result.out);
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(result.out.find("batch") != std::string::npos);

    stack.cluster().start();
    PgConnection db(stack.cluster().superuser_conninfo());
    auto rows = db.exec("select count(*) filter (where is_active) as active from public.jobs");
    BOOST_TEST(rows.at(0, "active").value_or("") == "20");
}

BOOST_AUTO_TEST_SUITE_END()
