// last_seen after the run-history migration: the stamp never moves backwards, whatever writes
// it, and rows that predate the caching migration (NULL last_seen) stay reachable by the sweep.
// Also: the run-history migration applies twice, and over a populated table, as a no-op.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "schema_database.hpp"

namespace jobsync::testing {
namespace {

using Rows = std::vector<std::vector<std::optional<std::string>>>;

constexpr const char* kRunsMigration = "20250104000000_job_sync_runs.sql";

std::string scalar(PgConnection& connection, const std::string& sql) {
    const PgRows rows = connection.exec(sql);
    BOOST_REQUIRE_EQUAL(rows.rows.size(), 1u);
    return rows.rows[0][0].value_or("<null>");
}

std::string stamps(PgConnection& connection) {
    return scalar(connection,
                  "SELECT string_agg(job_id || '=' || coalesce(to_char(last_seen AT TIME ZONE "
                  "'UTC', 'HH24:MI'), 'null') || ':' || coalesce(job_title, '-'), ',' "
                  "ORDER BY job_id) FROM public.jobs");
}

// The upsert PostgREST generates for `Prefer: resolution=merge-duplicates` (notes 1.2): every
// payload column in DO UPDATE SET, values from the JSON body.
void upsert(PgConnection& connection, const std::string& json_rows) {
    connection.exec_params(
        "INSERT INTO public.jobs (job_id, job_title, is_active, last_seen) "
        "SELECT b.job_id, b.job_title, b.is_active, b.last_seen "
        "FROM json_to_recordset($1::json) AS b(job_id text, job_title text, is_active boolean, "
        "last_seen timestamptz) "
        "ON CONFLICT (job_id) DO UPDATE SET job_id = EXCLUDED.job_id, "
        "job_title = EXCLUDED.job_title, is_active = EXCLUDED.is_active, "
        "last_seen = EXCLUDED.last_seen",
        {json_rows});
}

// Everything the run-history migration creates, as comparable rows.
Rows describe_run_objects(PgConnection& connection) {
    Rows all;
    const char* queries[] = {
        "SELECT table_name, column_name, data_type, is_nullable, column_default "
        "FROM information_schema.columns WHERE table_name IN ('job_sync_runs', "
        "'job_sync_run_shards') ORDER BY table_name, ordinal_position",
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'job_sync%' "
        "ORDER BY indexname",
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid IN ('public.job_sync_runs'::regclass, "
        "'public.job_sync_run_shards'::regclass) ORDER BY 1, 2",
        "SELECT relname, relrowsecurity::text, relacl::text FROM pg_class "
        "WHERE relname LIKE 'job_sync%' ORDER BY relname",
        "SELECT proname, pg_get_function_identity_arguments(oid), prosecdef::text, "
        "proconfig::text, proacl::text, md5(prosrc) FROM pg_proc "
        "WHERE pronamespace = 'public'::regnamespace ORDER BY 1, 2",
        "SELECT tgname, tgenabled::text FROM pg_trigger "
        "WHERE tgrelid = 'public.jobs'::regclass AND NOT tgisinternal ORDER BY tgname",
    };
    for (const char* query : queries) {
        PgRows result = connection.exec(query);
        all.insert(all.end(), result.rows.begin(), result.rows.end());
        all.push_back({std::string("--")});
    }
    return all;
}

std::string runs_migration_path() {
    return std::string(JOBSYNC_SOURCE_DIR) + "/schema/" + kRunsMigration;
}

struct MigratedJobs {
    MigratedJobs() {
        database.apply_all_migrations();
        db().exec(
            "INSERT INTO public.jobs (job_id, job_title, last_seen) VALUES "
            "('a', 'A', '2025-01-05T12:00:00Z'), ('b', 'B', NULL)");
    }
    PgConnection& db() { return database.superuser(); }
    SchemaDatabase database;
};

BOOST_FIXTURE_TEST_SUITE(last_seen, MigratedJobs)

BOOST_AUTO_TEST_CASE(an_upsert_with_an_older_stamp_keeps_the_newer_one_and_updates_the_rest) {
    upsert(
        db(),
        R"([{"job_id":"a","job_title":"A2","is_active":true,"last_seen":"2025-01-05T11:00:00Z"},)"
        R"({"job_id":"b","job_title":"B2","is_active":true,"last_seen":"2025-01-05T11:00:00Z"},)"
        R"({"job_id":"c","job_title":"C","is_active":true,"last_seen":"2025-01-05T10:00:00Z"}])");
    BOOST_TEST(stamps(db()) == "a=12:00:A2,b=11:00:B2,c=10:00:C");

    upsert(
        db(),
        R"([{"job_id":"a","job_title":"A3","is_active":true,"last_seen":"2025-01-05T13:00:00Z"}])");
    BOOST_TEST(stamps(db()) == "a=13:00:A3,b=11:00:B2,c=10:00:C");
}

BOOST_AUTO_TEST_CASE(a_plain_update_never_moves_the_stamp_back_or_clears_it) {
    db().exec("UPDATE public.jobs SET last_seen = '2025-01-05T09:00:00Z' WHERE job_id = 'a'");
    db().exec("UPDATE public.jobs SET last_seen = NULL, job_title = 'A-' WHERE job_id = 'a'");
    BOOST_TEST(stamps(db()) == "a=12:00:A-,b=null:B");
    db().exec("UPDATE public.jobs SET last_seen = '2025-01-05T09:00:00Z' WHERE job_id = 'b'");
    db().exec("UPDATE public.jobs SET last_seen = '2025-01-05T14:00:00Z' WHERE job_id = 'a'");
    BOOST_TEST(stamps(db()) == "a=14:00:A-,b=09:00:B");
}

BOOST_AUTO_TEST_CASE(the_sweep_filter_reaches_rows_that_were_never_stamped) {
    // What PATCH ?is_active=eq.true&or=(last_seen.is.null,last_seen.lt."<start>") runs.
    db().exec(
        "UPDATE public.jobs SET is_active = false WHERE is_active = true AND "
        "(last_seen IS NULL OR last_seen < '2025-01-05T12:00:00Z')");
    BOOST_TEST(scalar(db(),
                      "SELECT string_agg(job_id || ':' || is_active, ',' ORDER BY job_id) "
                      "FROM public.jobs") == "a:true,b:false");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(run_history_migration)

BOOST_AUTO_TEST_CASE(applies_twice_and_the_second_time_changes_nothing) {
    SchemaDatabase database;
    database.apply_all_migrations();
    const Rows once = describe_run_objects(database.superuser());
    // Again from the run-history migration on, in order, as `supabase db push` applies them: a
    // later migration may replace some of its functions.
    for (const auto& file : migration_files()) {
        if (std::filesystem::path(file).filename() < kRunsMigration) continue;
        BOOST_CHECK_NO_THROW(database.apply_file(file));
    }
    BOOST_TEST(describe_run_objects(database.superuser()) == once);
    BOOST_TEST(once.size() > 40u);  // the description is not empty
}

BOOST_AUTO_TEST_CASE(applies_over_a_populated_engagement_table_and_keeps_every_value) {
    SchemaDatabase database;
    PgConnection& db = database.superuser();
    for (const auto& file : migration_files()) {
        if (std::filesystem::path(file).filename() == kRunsMigration) break;
        database.apply_file(file);
    }
    db.exec(
        "INSERT INTO public.jobs (job_id, click_count, lane, job_title, last_seen) VALUES "
        "('old1', 7, 'applied', NULL, NULL), ('old2', 0, NULL, NULL, NULL), "
        "('synced', 2, 'saved', 'T', '2025-01-03T08:00:00Z')");
    const std::string all =
        "SELECT string_agg(concat_ws(':', job_id, click_count, lane, "
        "job_title, is_active, last_seen, updated_at), ',' ORDER BY id) "
        "FROM public.jobs";
    const std::string before = scalar(db, all);

    database.apply_file(runs_migration_path());
    database.apply_file(runs_migration_path());

    BOOST_TEST(scalar(db, all) == before);
    BOOST_TEST(scalar(db, "SELECT count(*) FROM public.jobs WHERE last_seen IS NULL") == "2");
    BOOST_TEST(scalar(db, "SELECT count(*) FROM public.job_sync_runs") == "0");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace jobsync::testing
