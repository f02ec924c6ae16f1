// Row-level security as PostgREST exercises it: log in as `authenticator`, then
// SET LOCAL ROLE to the role of the request's key inside a transaction.
#include <boost/test/unit_test.hpp>
#include <string>

#include "schema_database.hpp"

namespace jobsync::testing {
namespace {

// A migrated database holding two active jobs and one inactive job with engagement data.
struct JobsWithOneInactive {
    JobsWithOneInactive() {
        database.apply_all_migrations();
        database.superuser().exec(
            "INSERT INTO public.jobs (job_id, job_title, is_active, click_count, lane) VALUES "
            "('a', 'Active A', true, 1, 'saved'), ('b', 'Active B', true, 0, NULL), "
            "('gone', 'Vanished', false, 5, 'applied')");
    }
    SchemaDatabase database;
};

// Runs `sql` as `role` in its own transaction, rolled back; the SQLSTATE it failed with, or
// "ok" plus the affected row count.
std::string outcome_as(PgConnection& connection, const std::string& role, const std::string& sql) {
    connection.exec("BEGIN");
    connection.exec("SET LOCAL ROLE " + role);
    std::string result;
    try {
        result = "ok " + std::to_string(connection.exec(sql).affected);
    } catch (const PgError& error) {
        result = error.sqlstate();
    }
    connection.exec("ROLLBACK");
    return result;
}

std::string first_value_as(PgConnection& connection, const std::string& role,
                           const std::string& sql) {
    connection.exec("BEGIN");
    connection.exec("SET LOCAL ROLE " + role);
    const PgRows rows = connection.exec(sql);
    connection.exec("ROLLBACK");
    BOOST_REQUIRE_EQUAL(rows.rows.size(), 1u);
    return rows.rows[0][0].value_or("<null>");
}

BOOST_AUTO_TEST_SUITE(row_level_security)

BOOST_FIXTURE_TEST_CASE(anon_and_authenticated_see_only_active_jobs, JobsWithOneInactive) {
    PgConnection api = database.connect_authenticator();
    for (const char* role : {"anon", "authenticated"}) {
        BOOST_TEST_CONTEXT(role) {
            BOOST_TEST(first_value_as(api, role,
                                      "SELECT string_agg(job_id, ',' ORDER BY job_id) "
                                      "FROM public.jobs") == "a,b");
            BOOST_TEST(first_value_as(api, role,
                                      "SELECT count(*) FROM public.jobs WHERE job_id = 'gone'") ==
                       "0");
        }
    }
}

BOOST_FIXTURE_TEST_CASE(anon_and_authenticated_cannot_write, JobsWithOneInactive) {
    PgConnection api = database.connect_authenticator();
    for (const char* role : {"anon", "authenticated"}) {
        BOOST_TEST_CONTEXT(role) {
            BOOST_TEST(outcome_as(api, role, "INSERT INTO public.jobs (job_id) VALUES ('x')") ==
                       "42501");
            BOOST_TEST(outcome_as(api, role,
                                  "INSERT INTO public.jobs (job_id) VALUES ('a') "
                                  "ON CONFLICT (job_id) DO UPDATE SET job_title = 'hacked'") ==
                       "42501");
            BOOST_TEST(outcome_as(api, role, "UPDATE public.jobs SET click_count = 99") == "42501");
            BOOST_TEST(outcome_as(api, role, "DELETE FROM public.jobs") == "42501");
            BOOST_TEST(outcome_as(api, role, "TRUNCATE public.jobs") == "42501");
            BOOST_TEST(outcome_as(api, role, "SELECT nextval('public.jobs_id_seq')") == "42501");
        }
    }
    const PgRows unchanged = database.superuser().exec(
        "SELECT string_agg(job_id || ':' || click_count || ':' || coalesce(job_title, ''), ',' "
        "ORDER BY job_id) AS s FROM public.jobs");
    BOOST_TEST(*unchanged.at(0, "s") == "a:1:Active A,b:0:Active B,gone:5:Vanished");
}

BOOST_FIXTURE_TEST_CASE(service_role_sees_every_job_and_can_upsert_and_sweep, JobsWithOneInactive) {
    PgConnection api = database.connect_authenticator();
    BOOST_TEST(first_value_as(api, "service_role", "SELECT count(*) FROM public.jobs") == "3");

    api.exec("BEGIN");
    api.exec("SET LOCAL ROLE service_role");
    const PgRows upserted = api.exec(
        "INSERT INTO public.jobs (job_id, job_title, is_active, last_seen) VALUES "
        "('gone', 'Back again', true, now()), ('c', 'New C', true, now()) "
        "ON CONFLICT (job_id) DO UPDATE SET job_title = EXCLUDED.job_title, "
        "is_active = EXCLUDED.is_active, last_seen = EXCLUDED.last_seen");
    BOOST_TEST(upserted.affected == 2);
    const PgRows swept = api.exec(
        "UPDATE public.jobs SET is_active = false WHERE is_active AND "
        "(last_seen IS NULL OR last_seen < now())");
    BOOST_TEST(swept.affected == 2);  // a and b were not seen in this "run"
    api.exec("COMMIT");

    const PgRows rows = database.superuser().exec(
        "SELECT string_agg(job_id || ':' || is_active || ':' || click_count, ',' ORDER BY job_id) "
        "AS s FROM public.jobs");
    BOOST_TEST(*rows.at(0, "s") == "a:false:1,b:false:0,c:true:0,gone:true:5");
}

BOOST_FIXTURE_TEST_CASE(only_one_policy_exists_and_it_allows_reading_active_jobs,
                        JobsWithOneInactive) {
    const PgRows policies = database.superuser().exec(
        "SELECT policyname, cmd, roles::text AS roles, qual FROM pg_policies "
        "WHERE tablename = 'jobs'");
    BOOST_REQUIRE_EQUAL(policies.rows.size(), 1u);
    BOOST_TEST(*policies.at(0, "cmd") == "SELECT");
    BOOST_TEST(*policies.at(0, "roles") == "{anon,authenticated}");
    BOOST_TEST(*policies.at(0, "qual") == "is_active");
    const PgRows bypass = database.superuser().exec(
        "SELECT string_agg(rolname, ',' ORDER BY rolname) AS s FROM pg_roles "
        "WHERE rolbypassrls AND rolname IN ('anon', 'authenticated', 'service_role')");
    BOOST_TEST(*bypass.at(0, "s") == "service_role");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace jobsync::testing
