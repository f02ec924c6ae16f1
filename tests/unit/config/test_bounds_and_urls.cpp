// Issue 7's configuration: the run's bounds (--deadline, --max-requests,
// --max-response-bytes, --ca-file and their variables) and where keys may be sent.
#include <boost/test/unit_test.hpp>
#include <string>

#include "config/numbers.hpp"
#include "config_helpers.hpp"

using jobsync::config::build_settings;
using jobsync::config::parse_byte_size;
using jobsync::config::parse_duration;
using jobsync::testing::only_problem;
using jobsync::testing::sync_line;
using jobsync::testing::valid_env;
using namespace std::chrono_literals;

namespace {

std::string problem_of(const jobsync::config::CommandLine& line,
                       const jobsync::config::EnvMap& env) {
    return only_problem(env, line);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bounds)

BOOST_AUTO_TEST_CASE(durations_read_hours_minutes_and_seconds) {
    BOOST_TEST(parse_duration("90s").value().count() == 90);
    BOOST_TEST(parse_duration("30m").value().count() == 1800);
    BOOST_TEST(parse_duration("1h30m").value().count() == 5400);
    BOOST_TEST(parse_duration("2h0m5s").value().count() == 7205);
    BOOST_TEST(parse_duration("45").value().count() == 45);
    for (const char* bad : {"", "m", "30x", "1m30", "30s1m", "1h1h", "-5s", "9999h", "1.5h"}) {
        BOOST_TEST(!parse_duration(bad).has_value(), bad);
    }
}

BOOST_AUTO_TEST_CASE(sizes_read_bytes_and_binary_units) {
    BOOST_TEST(parse_byte_size("67108864").value() == 67108864u);
    BOOST_TEST(parse_byte_size("64MiB").value() == 67108864u);
    BOOST_TEST(parse_byte_size("512 KiB").value() == 524288u);
    BOOST_TEST(parse_byte_size("1g").value() == 1073741824u);
    for (const char* bad : {"", "MiB", "64PiB", "-1", "2000GiB", "1.5M"}) {
        BOOST_TEST(!parse_byte_size(bad).has_value(), bad);
    }
}

BOOST_AUTO_TEST_CASE(defaults_are_a_30_minute_deadline_no_request_cap_and_64_mib) {
    const auto settings = build_settings(sync_line({}), valid_env(), {});
    BOOST_TEST(settings.deadline.count() == 1800);
    BOOST_TEST(!settings.max_requests.has_value());
    BOOST_TEST(settings.max_response_bytes == std::size_t{64} * 1024 * 1024);
    BOOST_TEST(settings.ca_file.empty());
}

BOOST_AUTO_TEST_CASE(flags_set_the_bounds_and_win_over_the_variables) {
    const auto env = valid_env({{"JOBSYNC_DEADLINE", "5m"},
                                {"JOBSYNC_MAX_REQUESTS", "7"},
                                {"JOBSYNC_MAX_RESPONSE_BYTES", "1MiB"}});
    const auto from_env = build_settings(sync_line({}), env, {});
    BOOST_TEST(from_env.deadline.count() == 300);
    BOOST_TEST(from_env.max_requests.value() == 7);
    BOOST_TEST(from_env.max_response_bytes == 1048576u);

    const auto from_flags =
        build_settings(sync_line({"--deadline", "90s", "--max-requests", "3",
                                  "--max-response-bytes", "2MiB", "--ca-file", "/etc/ca.pem"}),
                       env, {});
    BOOST_TEST(from_flags.deadline.count() == 90);
    BOOST_TEST(from_flags.max_requests.value() == 3);
    BOOST_TEST(from_flags.max_response_bytes == 2097152u);
    BOOST_TEST(from_flags.ca_file == "/etc/ca.pem");
}

BOOST_AUTO_TEST_CASE(malformed_bounds_are_configuration_errors_naming_the_setting) {
    BOOST_TEST(problem_of(sync_line({"--deadline", "soon"}), valid_env()).find("--deadline") == 0u);
    BOOST_TEST(problem_of(sync_line({"--max-requests", "0"}), valid_env()).find("--max-requests") ==
               0u);
    BOOST_TEST(problem_of(sync_line({}), valid_env({{"JOBSYNC_MAX_RESPONSE_BYTES", "12"}}))
                   .find("--max-response-bytes (or JOBSYNC_MAX_RESPONSE_BYTES) must be a size") ==
               0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(url_safety)

BOOST_AUTO_TEST_CASE(loopback_hosts_are_localhost_127_slash_8_and_ipv6_one) {
    for (const char* host :
         {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3:8080", "[::1]", "[::1]:9000"}) {
        const auto url = std::string("http://") + host;
        BOOST_TEST(
            build_settings(sync_line(), valid_env({{"SUPABASE_URL", url}}), {}).supabase_url == url,
            host);
    }
    for (const char* host : {"128.0.0.1", "10.0.0.1", "127.0.0", "127.0.0.1.evil.com",
                             "localhost.evil.com", "[::2]", "127.0.0.256", "127.1"}) {
        const auto problem =
            problem_of(sync_line(), valid_env({{"SUPABASE_URL", std::string("http://") + host}}));
        BOOST_TEST(problem.find("SUPABASE_URL uses http:// to ") == 0u, host);
    }
}

BOOST_AUTO_TEST_CASE(plain_http_to_another_host_is_refused_for_both_keys) {
    const auto supabase =
        problem_of(sync_line({}), valid_env({{"SUPABASE_URL", "http://db.example.com"}}));
    BOOST_TEST(supabase.find("SUPABASE_URL uses http:// to db.example.com") == 0u, supabase);
    BOOST_TEST(supabase.find("use https://") != std::string::npos);
    const auto jsearch =
        problem_of(sync_line({}), valid_env({{"JSEARCH_BASE_URL", "http://10.1.2.3:8080/"}}));
    BOOST_TEST(jsearch.find("JSEARCH_BASE_URL uses http:// to 10.1.2.3") == 0u, jsearch);
}

BOOST_AUTO_TEST_CASE(plain_http_to_loopback_is_accepted) {
    const auto settings = build_settings(sync_line({}),
                                         valid_env({{"SUPABASE_URL", "http://localhost:54321"},
                                                    {"JSEARCH_BASE_URL", "http://[::1]:9000"}}),
                                         {});
    BOOST_TEST(settings.supabase_url == "http://localhost:54321");
    BOOST_TEST(settings.jsearch_base_url == "http://[::1]:9000");
}

BOOST_AUTO_TEST_CASE(credentials_in_a_url_are_refused_without_printing_them) {
    for (const char* url : {"https://admin:hunter2pw@abcdefgh.supabase.co",
                            "https://hunter2pw@abcdefgh.supabase.co/rest/v1"}) {
        const auto problem = problem_of(sync_line({}), valid_env({{"SUPABASE_URL", url}}));
        BOOST_TEST(problem.find("SUPABASE_URL must not contain credentials") == 0u, problem);
        BOOST_TEST(problem.find("hunter2pw") == std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()
