#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "config_helpers.hpp"
#include "text/strings.hpp"

using jobsync::SupabaseKeyKind;
using jobsync::config::build_settings;
using jobsync::config::CommandLine;
using jobsync::config::ConfigError;
using jobsync::config::DotenvEntry;
using jobsync::config::EnvMap;
using jobsync::config::Settings;
using jobsync::logging::LogFormat;
using jobsync::testing::only_problem;
using jobsync::testing::problems_of;
using jobsync::testing::sync_line;
using jobsync::testing::valid_env;

namespace {

const std::string& service_key = jobsync::testing::kServiceKey;
const std::string& rapid_key = jobsync::testing::kRapidKey;

Settings build(const EnvMap& env, const std::vector<DotenvEntry>& dotenv = {},
               const CommandLine& line = sync_line()) {
    return build_settings(line, env, dotenv);
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(a_minimal_environment_gives_the_defaults) {
    const Settings settings = build(valid_env());
    BOOST_TEST(settings.supabase_url == "https://abcdefgh.supabase.co");
    BOOST_TEST(settings.supabase_key.reveal() == service_key);
    BOOST_TEST((settings.supabase_key_kind == SupabaseKeyKind::legacy_jwt));
    BOOST_TEST(settings.jsearch_api_key.reveal() == rapid_key);
    BOOST_TEST(settings.jsearch_base_url == "https://jsearch.p.rapidapi.com");
    BOOST_TEST(settings.jsearch_host == "jsearch.p.rapidapi.com");
    BOOST_TEST(settings.jobs_table == "jobs");
    BOOST_TEST(settings.batch_size == 200u);
    BOOST_TEST(settings.max_batch_bytes == 1024u * 1024u);
    BOOST_TEST(settings.http_timeout_seconds == 30);
    BOOST_TEST(settings.log_level == "info");
    BOOST_TEST((settings.log_format == LogFormat::text));
    BOOST_TEST_REQUIRE(settings.queries.size() == 1u);
    const auto& query = settings.queries.front();
    BOOST_TEST(query.text == "rust developer");
    BOOST_TEST(query.pages == 1);
    BOOST_TEST(query.pages_per_request == 10);
    BOOST_TEST(query.country.empty());
    BOOST_TEST(query.date_posted.empty());
    BOOST_TEST(query.employment_types.empty());
    BOOST_TEST(!query.remote_only);
}

BOOST_AUTO_TEST_CASE(every_setting_can_come_from_the_dotenv_file) {
    const std::vector<DotenvEntry> file{
        {"SUPABASE_URL", "http://127.0.0.1:54321/", 1},
        {"SUPABASE_SERVICE_ROLE_KEY", "sb_secret_abc123", 2},
        {"JSEARCH_API_KEY", "k", 3},
        {"JSEARCH_BASE_URL", "http://127.0.0.1:9000/jsearch/", 4},
        {"JSEARCH_HOST", "127.0.0.1:9000", 5},
        {"JOBS_TABLE", "job_cache", 6},
        {"JSEARCH_QUERIES", "a;b", 7},
        {"JOBSYNC_HTTP_TIMEOUT_SECONDS", "45", 8},
    };
    const Settings settings = build({}, file);
    BOOST_TEST(settings.supabase_url == "http://127.0.0.1:54321");
    BOOST_TEST((settings.supabase_key_kind == SupabaseKeyKind::secret_key));
    BOOST_TEST(settings.supabase_key.reveal() == "sb_secret_abc123");
    BOOST_TEST(settings.jsearch_base_url == "http://127.0.0.1:9000/jsearch");
    BOOST_TEST(settings.jsearch_host == "127.0.0.1:9000");
    BOOST_TEST(settings.jobs_table == "job_cache");
    BOOST_TEST(settings.http_timeout_seconds == 45);
    BOOST_TEST_REQUIRE(settings.queries.size() == 2u);
    BOOST_TEST(settings.queries[1].text == "b");
}

BOOST_AUTO_TEST_CASE(the_real_environment_wins_over_the_file) {
    EnvMap env = valid_env();
    env["JOBS_TABLE"] = "from_env";
    const Settings settings =
        build(env, {{"JOBS_TABLE", "from_file", 1}, {"JSEARCH_API_KEY", "file-key", 2}});
    BOOST_TEST(settings.jobs_table == "from_env");
    BOOST_TEST(settings.jsearch_api_key.reveal() == rapid_key);
}

BOOST_AUTO_TEST_CASE(the_last_file_entry_for_a_name_wins) {
    const Settings settings =
        build(valid_env(), {{"JOBS_TABLE", "first", 1}, {"JOBS_TABLE", "second", 2}});
    BOOST_TEST(settings.jobs_table == "second");
}

BOOST_AUTO_TEST_CASE(an_empty_environment_variable_counts_as_unset) {
    EnvMap env = valid_env();
    env["JOBS_TABLE"] = "  ";
    BOOST_TEST(build(env, {{"JOBS_TABLE", "from_file", 1}}).jobs_table == "from_file");
    BOOST_TEST(build(env).jobs_table == "jobs");
}

BOOST_AUTO_TEST_CASE(values_are_trimmed) {
    EnvMap env = valid_env();
    env["SUPABASE_SERVICE_ROLE_KEY"] = "  sb_secret_abc\n";
    BOOST_TEST(build(env).supabase_key.reveal() == "sb_secret_abc");
}

BOOST_AUTO_TEST_CASE(supabase_url_loses_trailing_slashes_and_rest_v1) {
    EnvMap env = valid_env();
    for (const char* url :
         {"https://abcdefgh.supabase.co/", "https://abcdefgh.supabase.co//",
          "https://abcdefgh.supabase.co/rest/v1", "https://abcdefgh.supabase.co/rest/v1/"}) {
        env["SUPABASE_URL"] = url;
        BOOST_TEST(build(env).supabase_url == "https://abcdefgh.supabase.co", url);
    }
    env["SUPABASE_URL"] = "HTTPS://self.hosted.example/supabase/";
    BOOST_TEST(build(env).supabase_url == "HTTPS://self.hosted.example/supabase");
}

BOOST_AUTO_TEST_CASE(missing_required_settings_are_all_reported_at_once) {
    const auto problems = problems_of(sync_line(), {});
    BOOST_TEST_REQUIRE(problems.size() == 4u);
    BOOST_TEST(problems[0] ==
               "SUPABASE_URL is not set; set it to your project URL, e.g. "
               "https://<project-ref>.supabase.co (Supabase dashboard: Project Settings > Data "
               "API)");
    BOOST_TEST(contains(problems[1],
                        "SUPABASE_SERVICE_ROLE_KEY is not set; set it in the "
                        "environment or the .env file to the secret key"));
    BOOST_TEST(contains(problems[2], "JSEARCH_API_KEY is not set"));
    BOOST_TEST(contains(problems[2], "RapidAPI"));
    BOOST_TEST(contains(problems[3], "no search queries; give --query"));
}

BOOST_AUTO_TEST_CASE(the_error_text_lists_every_problem) {
    try {
        build_settings(sync_line(), {}, {});
        BOOST_FAIL("expected a ConfigError");
    } catch (const ConfigError& e) {
        const std::string text = e.what();
        BOOST_TEST(text.rfind("configuration errors:\n  - SUPABASE_URL is not set", 0) == 0u);
        BOOST_TEST(contains(text, "\n  - JSEARCH_API_KEY is not set"));
    }
}

BOOST_AUTO_TEST_CASE(malformed_urls_are_reported_with_the_reason) {
    EnvMap env = valid_env();
    env["SUPABASE_URL"] = "abcdefgh.supabase.co";
    BOOST_TEST(only_problem(env) ==
               "SUPABASE_URL must start with https:// (or http://); set it to e.g. "
               "https://<project-ref>.supabase.co");
    env["SUPABASE_URL"] = "https:///path";
    BOOST_TEST(contains(only_problem(env), "SUPABASE_URL has no host name"));
    env["SUPABASE_URL"] = "https://";
    BOOST_TEST(contains(only_problem(env), "SUPABASE_URL has no host name"));
    env["SUPABASE_URL"] = "https://x.supabase.co?a=1";
    BOOST_TEST(contains(only_problem(env), "must not have a query (?) or fragment (#)"));
    env["SUPABASE_URL"] = "https://x.supa base.co";
    BOOST_TEST(contains(only_problem(env), "SUPABASE_URL contains spaces"));
    env = valid_env();
    env["JSEARCH_BASE_URL"] = "ftp://jsearch";
    BOOST_TEST(only_problem(env) ==
               "JSEARCH_BASE_URL must start with https:// (or http://); set it to e.g. "
               "https://jsearch.p.rapidapi.com");
}

BOOST_AUTO_TEST_CASE(a_jsearch_host_with_a_scheme_is_refused) {
    EnvMap env = valid_env();
    env["JSEARCH_HOST"] = "https://jsearch.p.rapidapi.com";
    BOOST_TEST(contains(only_problem(env), "JSEARCH_HOST must be a bare host name"));
}

BOOST_AUTO_TEST_CASE(the_jobs_table_must_be_a_plain_identifier) {
    EnvMap env = valid_env();
    for (const char* table : {"public.jobs", "jobs; drop table x", "1jobs", "jobs-x"}) {
        env["JOBS_TABLE"] = table;
        BOOST_TEST(contains(only_problem(env), "is not a plain table name"), table);
    }
    env["JOBS_TABLE"] = std::string(64, 'j');
    BOOST_TEST(contains(only_problem(env), "at most 63 characters"));
    env["JOBS_TABLE"] = std::string(63, 'j');
    BOOST_TEST(build(env).jobs_table.size() == 63u);
}

BOOST_AUTO_TEST_CASE(the_http_timeout_must_be_from_1_to_600_seconds) {
    EnvMap env = valid_env();
    for (const char* bad : {"0", "601", "abc", "-1", "1.5", "99999999999"}) {
        env["JOBSYNC_HTTP_TIMEOUT_SECONDS"] = bad;
        BOOST_TEST(contains(only_problem(env),
                            "JOBSYNC_HTTP_TIMEOUT_SECONDS must be a whole "
                            "number of seconds from 1 to 600"),
                   bad);
    }
    env["JOBSYNC_HTTP_TIMEOUT_SECONDS"] = "600";
    BOOST_TEST(build(env).http_timeout_seconds == 600);
}

BOOST_AUTO_TEST_CASE(an_sb_secret_key_is_detected) {
    EnvMap env = valid_env();
    env["SUPABASE_SERVICE_ROLE_KEY"] = "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz";
    BOOST_TEST((build(env).supabase_key_kind == SupabaseKeyKind::secret_key));
}

BOOST_AUTO_TEST_CASE(an_anon_key_is_refused_without_printing_it) {
    EnvMap env = valid_env();
    env["SUPABASE_SERVICE_ROLE_KEY"] = jobsync::testing::anon_jwt();
    const auto problem = only_problem(env);
    BOOST_TEST(contains(problem, "SUPABASE_SERVICE_ROLE_KEY is a JWT for the role 'anon'"));
    BOOST_TEST(!contains(problem, jobsync::testing::anon_jwt()));
    BOOST_TEST(!contains(problem, jobsync::testing::anon_jwt().substr(0, 20)));
}

BOOST_AUTO_TEST_CASE(a_publishable_key_is_refused_without_printing_it) {
    EnvMap env = valid_env();
    env["SUPABASE_SERVICE_ROLE_KEY"] = "sb_publishable_Zx81PUBLISHED";
    const auto problem = only_problem(env);
    BOOST_TEST(contains(problem, "publishable key, which cannot write"));
    BOOST_TEST(!contains(problem, "Zx81PUBLISHED"));
}

BOOST_AUTO_TEST_CASE(a_garbled_key_is_refused_without_printing_it) {
    EnvMap env = valid_env();
    env["SUPABASE_SERVICE_ROLE_KEY"] = "garbledKEYtext123";
    const auto problem = only_problem(env);
    BOOST_TEST(contains(problem, "is neither a JWT nor an sb_secret_ key"));
    BOOST_TEST(!contains(problem, "garbledKEYtext123"));
    env["SUPABASE_SERVICE_ROLE_KEY"] = "Bearer " + service_key;
    BOOST_TEST(contains(only_problem(env), "without 'Bearer '"));
}

BOOST_AUTO_TEST_CASE(a_jsearch_key_with_inner_spaces_is_refused_without_printing_it) {
    EnvMap env = valid_env();
    env["JSEARCH_API_KEY"] = "abc DEF_SECRET";
    const auto problem = only_problem(env);
    BOOST_TEST(contains(problem, "JSEARCH_API_KEY contains spaces or control characters"));
    BOOST_TEST(!contains(problem, "DEF_SECRET"));
}

BOOST_AUTO_TEST_CASE(queries_are_merged_from_flags_file_and_environment_without_duplicates) {
    CommandLine line = sync_line();
    line.queries = {"rust developer", "  go developer ", ""};
    line.options["queries-file"] = "queries.txt";
    EnvMap env = valid_env();
    env["JSEARCH_QUERIES"] = "nurse;rust developer; go developer";
    const Settings settings =
        build_settings(line, env, {}, std::string("# list\nc# developer\nnurse\n"));
    std::vector<std::string> texts;
    for (const auto& query : settings.queries) texts.push_back(query.text);
    BOOST_TEST(texts == (std::vector<std::string>{"rust developer", "go developer", "c# developer",
                                                  "nurse"}));
}

BOOST_AUTO_TEST_CASE(a_queries_file_named_but_not_supplied_is_a_programming_error) {
    CommandLine line = sync_line();
    line.options["queries-file"] = "q.txt";
    BOOST_CHECK_THROW(build_settings(line, valid_env(), {}), std::logic_error);
}

BOOST_AUTO_TEST_CASE(per_query_options_apply_to_every_query) {
    const CommandLine line =
        sync_line({"--query", "a", "--query", "b", "--pages", "30", "--pages-per-request", "20",
                   "--country", "DE", "--date-posted", "3days", "--employment-types",
                   "fulltime, CONTRACTOR,", "--remote-only"});
    EnvMap env = valid_env();
    env.erase("JSEARCH_QUERIES");
    const Settings settings = build({env}, {}, line);
    BOOST_TEST_REQUIRE(settings.queries.size() == 2u);
    for (const auto& query : settings.queries) {
        BOOST_TEST(query.pages == 30);
        BOOST_TEST(query.pages_per_request == 20);
        BOOST_TEST(query.country == "de");
        BOOST_TEST(query.date_posted == "3days");
        BOOST_TEST(query.employment_types == "FULLTIME,CONTRACTOR");
        BOOST_TEST(query.remote_only);
    }
}

BOOST_AUTO_TEST_CASE(run_options_are_carried_over) {
    CommandLine line = sync_line();
    line.options["batch-size"] = "10000";
    line.options["log-level"] = "DEBUG";
    line.options["log-format"] = "json";
    const Settings settings = build(valid_env(), {}, line);
    BOOST_TEST(settings.batch_size == 10000u);
    BOOST_TEST(settings.log_level == "debug");
    BOOST_TEST((settings.log_format == LogFormat::json));
}

BOOST_AUTO_TEST_CASE(each_out_of_range_option_is_reported) {
    const CommandLine line =
        sync_line({"--pages", "0", "--pages-per-request", "51", "--batch-size", "10001",
                   "--country", "usa", "--date-posted", "yesterday", "--employment-types",
                   "FULLTIME,FREELANCE", "--log-level", "verbose", "--log-format", "xml"});
    const auto problems = problems_of(line, valid_env());
    BOOST_TEST(problems == (std::vector<std::string>{
                               "--country must be a two-letter country code such as us or de, "
                               "got 'usa'",
                               "--date-posted must be one of all, today, 3days, week, month; "
                               "got 'yesterday'",
                               "--employment-types: 'FREELANCE' is not one of FULLTIME, "
                               "CONTRACTOR, PARTTIME, INTERN",
                               "--pages must be a whole number from 1 to 50, got '0'",
                               "--pages-per-request must be a whole number from 1 to 50, got '51'",
                               "--batch-size must be a whole number from 1 to 10000, got '10001'",
                               "--log-level must be one of trace, debug, info, warn, error; got "
                               "'verbose'",
                               "--log-format must be one of text, json; got 'xml'",
                           }),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_count_that_is_not_a_whole_number_is_reported_naming_the_option) {
    for (const char* bad : {"two", "-5", "1.5", "", " ", "99999999999999999999999"}) {
        CommandLine line = sync_line();
        line.options["batch-size"] = bad;
        BOOST_TEST(only_problem(valid_env(), line) ==
                       "--batch-size must be a whole number from 1 to 10000, got '" +
                           std::string(jobsync::text::trim(bad)) + "'",
                   bad);
    }
}

BOOST_AUTO_TEST_CASE(status_takes_a_limit_from_1_to_1000_and_text_or_json) {
    CommandLine line;
    line.command = jobsync::config::Command::status;
    BOOST_TEST(build(valid_env(), {}, line).status_limit == 10);
    BOOST_TEST(!build(valid_env(), {}, line).status_json);
    BOOST_TEST(build(valid_env(), {}, line).log_level == "warn");
    line.options["limit"] = "1000";
    line.options["format"] = "JSON";
    BOOST_TEST(build(valid_env(), {}, line).status_limit == 1000);
    BOOST_TEST(build(valid_env(), {}, line).status_json);
    line.options["limit"] = "0";
    line.options["format"] = "xml";
    BOOST_TEST(
        problems_of(line, valid_env()) ==
            (std::vector<std::string>{"--limit must be a whole number from 1 to 1000, got '0'",
                                      "--format must be one of text, json; got 'xml'"}),
        boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_dry_run_writes_no_run_files) {
    CommandLine line = sync_line();
    line.options["dry-run"] = "true";
    BOOST_TEST(build(valid_env(), {}, line).dry_run);
    line.options["metrics-file"] = "m.prom";
    BOOST_TEST(
        only_problem(valid_env(), line).find("--dry-run writes no --report or --metrics-file") ==
        0u);
}

BOOST_AUTO_TEST_CASE(secrets_never_appear_in_any_error_text) {
    EnvMap env = valid_env();
    env["SUPABASE_URL"] = "not a url";
    env["SUPABASE_SERVICE_ROLE_KEY"] = "sb_publishable_" + rapid_key;
    env["JSEARCH_API_KEY"] = rapid_key + " tail";
    CommandLine line = sync_line();
    line.options["pages"] = "99";
    try {
        build_settings(line, env, {});
        BOOST_FAIL("expected a ConfigError");
    } catch (const ConfigError& e) {
        BOOST_TEST(e.problems().size() == 4u);
        BOOST_TEST(!contains(e.what(), rapid_key));
        BOOST_TEST(!contains(e.what(), "tail"));
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(config_run_options)

BOOST_AUTO_TEST_CASE(the_lease_guard_and_sweep_defaults_are_safe) {
    const Settings settings = build(valid_env());
    BOOST_TEST(settings.run_id.empty());
    BOOST_TEST(settings.lease_seconds == 900);
    BOOST_TEST(settings.max_deactivate_share == 0.5);
    BOOST_TEST(settings.sweep);
}

BOOST_AUTO_TEST_CASE(run_id_lease_share_and_no_sweep_are_carried_over) {
    CommandLine line = sync_line();
    line.options["run-id"] = "nightly-2025-01-04";
    line.options["lease-seconds"] = "120";
    line.options["max-deactivate-share"] = "0.25";
    line.options["no-sweep"] = "true";
    const Settings settings = build(valid_env(), {}, line);
    BOOST_TEST(settings.run_id == "nightly-2025-01-04");
    BOOST_TEST(settings.lease_seconds == 120);
    BOOST_TEST(settings.max_deactivate_share == 0.25);
    BOOST_TEST(!settings.sweep);
}

BOOST_AUTO_TEST_CASE(a_share_outside_0_to_1_or_not_a_number_is_refused) {
    for (const char* bad : {"1.5", "-0.1", "half", "", "50%", "0.5.1"}) {
        CommandLine line = sync_line();
        line.options["max-deactivate-share"] = bad;
        BOOST_TEST_INFO(bad);
        BOOST_TEST(contains(only_problem(valid_env(), line), "--max-deactivate-share"));
    }
    CommandLine one = sync_line();
    one.options["max-deactivate-share"] = "1";
    BOOST_TEST(build(valid_env(), {}, one).max_deactivate_share == 1.0);
}

BOOST_AUTO_TEST_CASE(a_lease_shorter_than_10_s_and_a_run_id_with_spaces_are_refused) {
    CommandLine line = sync_line();
    line.options["lease-seconds"] = "5";
    BOOST_TEST(contains(only_problem(valid_env(), line), "--lease-seconds"));
    CommandLine spaced = sync_line();
    spaced.options["run-id"] = "my run";
    BOOST_TEST(contains(only_problem(valid_env(), spaced), "--run-id"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(concurrency_and_max_rps_default_to_4_and_5) {
    const Settings settings = build(valid_env());
    BOOST_TEST(settings.concurrency == 4);
    BOOST_TEST(settings.max_rps == 5.0);
}

BOOST_AUTO_TEST_CASE(concurrency_and_max_rps_come_from_the_environment_and_flags_win) {
    EnvMap env = valid_env();
    env["JOBSYNC_CONCURRENCY"] = "8";
    env["JOBSYNC_MAX_RPS"] = "2.5";
    const Settings from_env = build(env);
    BOOST_TEST(from_env.concurrency == 8);
    BOOST_TEST(from_env.max_rps == 2.5);

    CommandLine line = sync_line();
    line.options["concurrency"] = "1";
    line.options["max-rps"] = "10";
    const Settings from_flags = build(env, {}, line);
    BOOST_TEST(from_flags.concurrency == 1);
    BOOST_TEST(from_flags.max_rps == 10.0);
}

BOOST_AUTO_TEST_CASE(concurrency_outside_1_to_32_and_a_rate_that_is_not_a_number_are_refused) {
    CommandLine line = sync_line();
    line.options["concurrency"] = "0";
    line.options["max-rps"] = "fast";
    const auto problems = problems_of(line, valid_env());
    BOOST_TEST_REQUIRE(problems.size() == 2u);
    BOOST_TEST(problems[0].find("--concurrency") != std::string::npos);
    BOOST_TEST(problems[1].find("--max-rps") != std::string::npos);
    EnvMap env = valid_env();
    env["JOBSYNC_CONCURRENCY"] = "33";
    BOOST_TEST(only_problem(env).find("JOBSYNC_CONCURRENCY") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(upsert_concurrency_defaults_to_2_takes_1_to_16_and_the_flag_wins) {
    BOOST_TEST(build(valid_env()).upsert_concurrency == 2);
    EnvMap env = valid_env();
    env["JOBSYNC_UPSERT_CONCURRENCY"] = "8";
    BOOST_TEST(build(env).upsert_concurrency == 8);
    CommandLine line = sync_line();
    line.options["upsert-concurrency"] = "1";
    BOOST_TEST(build(env, {}, line).upsert_concurrency == 1);
    line.options["upsert-concurrency"] = "0";
    const auto problems = problems_of(line, valid_env());
    BOOST_TEST_REQUIRE(problems.size() == 1u);
    BOOST_TEST(problems[0].find("--upsert-concurrency") != std::string::npos);
    env["JOBSYNC_UPSERT_CONCURRENCY"] = "17";
    BOOST_TEST(only_problem(env).find("JOBSYNC_UPSERT_CONCURRENCY") != std::string::npos);
}
