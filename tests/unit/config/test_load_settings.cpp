#include <stdlib.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "config/config.hpp"
#include "config/errors.hpp"

using jobsync::config::CommandLine;
using jobsync::config::ConfigError;
using jobsync::config::Settings;

namespace {

CommandLine sync_line() {
    CommandLine line;
    line.command = jobsync::config::Command::sync;
    return line;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

// load_settings reads the real environment and files; these tests set and restore both.
BOOST_AUTO_TEST_SUITE(load_settings)

namespace {

struct TempFile {
    explicit TempFile(const std::string& text)
        : path("/tmp/jobsync-test-config-" + std::to_string(::getpid()) + "-" +
               std::to_string(counter++)) {
        std::ofstream(path) << text;
    }
    ~TempFile() { std::remove(path.c_str()); }
    std::string path;
    static inline int counter = 0;
};

struct ScopedEnv {
    ScopedEnv(const char* name, const char* value) : name(name) { ::setenv(name, value, 1); }
    ~ScopedEnv() { ::unsetenv(name); }
    const char* name;
};

}  // namespace

BOOST_AUTO_TEST_CASE(an_env_file_is_read_and_the_environment_wins_over_it) {
    const TempFile env_file(
        "SUPABASE_URL=https://abcdefgh.supabase.co\n"
        "SUPABASE_SERVICE_ROLE_KEY=sb_secret_fromfile\n"
        "JSEARCH_API_KEY=file-key\n"
        "JOBS_TABLE=from_file\n");
    const TempFile queries("q one\nq two\n");
    const ScopedEnv table("JOBS_TABLE", "from_env");
    CommandLine line = sync_line();
    line.env_file = env_file.path;
    line.queries_file = queries.path;
    const Settings settings = jobsync::config::load_settings(line);
    BOOST_TEST(settings.jobs_table == "from_env");
    BOOST_TEST(settings.supabase_key.reveal() == "sb_secret_fromfile");
    BOOST_TEST(settings.queries.size() >= 2u);
    BOOST_TEST(settings.queries[0].text == "q one");
}

BOOST_AUTO_TEST_CASE(a_missing_env_file_is_a_config_error_naming_it) {
    CommandLine line = sync_line();
    line.env_file = "/nonexistent/job-sync.env";
    try {
        jobsync::config::load_settings(line);
        BOOST_FAIL("expected a ConfigError");
    } catch (const ConfigError& e) {
        BOOST_TEST(contains(e.what(), "--env-file /nonexistent/job-sync.env does not exist"));
    }
}

BOOST_AUTO_TEST_CASE(a_malformed_env_file_reports_only_its_own_errors) {
    const TempFile env_file("GOOD=1\nSECRET=\"unterminated\n");
    CommandLine line = sync_line();
    line.env_file = env_file.path;
    try {
        jobsync::config::load_settings(line);
        BOOST_FAIL("expected a ConfigError");
    } catch (const ConfigError& e) {
        BOOST_TEST_REQUIRE(e.problems().size() == 1u);
        BOOST_TEST(e.problems()[0] == env_file.path +
                                          ":2: unterminated double quote in the value of SECRET "
                                          "(add the closing \")");
        BOOST_TEST(!contains(e.what(), "unterminated\n"));
    }
}

BOOST_AUTO_TEST_CASE(an_unreadable_queries_file_is_a_config_error_naming_it) {
    CommandLine line = sync_line();
    const TempFile env_file("A=1\n");
    line.queries_file = "/nonexistent/queries.txt";
    line.env_file = env_file.path;
    try {
        jobsync::config::load_settings(line);
        BOOST_FAIL("expected a ConfigError");
    } catch (const ConfigError& e) {
        BOOST_TEST(contains(e.what(), "--queries-file /nonexistent/queries.txt cannot be read"));
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(env_example)

// The documented example must stay a valid file that mentions every variable we read.
BOOST_AUTO_TEST_CASE(the_example_env_file_parses_and_documents_every_variable) {
    const std::string here = __FILE__;
    const std::string root = here.substr(0, here.rfind("tests/unit/config/"));
    std::ifstream file(root + "env/.env.example");
    BOOST_TEST_REQUIRE(static_cast<bool>(file));
    const std::string text((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
    const auto parsed = jobsync::config::parse_dotenv(text, ".env.example");
    BOOST_TEST(parsed.errors.empty());
    for (const char* name :
         {"SUPABASE_URL", "SUPABASE_SERVICE_ROLE_KEY", "JSEARCH_API_KEY", "JSEARCH_BASE_URL",
          "JSEARCH_HOST", "JOBS_TABLE", "JSEARCH_QUERIES", "JOBSYNC_HTTP_TIMEOUT_SECONDS"}) {
        BOOST_TEST(contains(text, std::string(name) + "="), name);
    }
}

BOOST_AUTO_TEST_SUITE_END()
