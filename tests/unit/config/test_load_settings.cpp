#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

#include "config/config.hpp"
#include "config/errors.hpp"
#include "config_helpers.hpp"

using jobsync::config::CommandLine;
using jobsync::config::ConfigError;
using jobsync::config::EnvMap;
using jobsync::config::Settings;
using jobsync::testing::sync_line;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

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

// The problems load_settings reports; fails the test when it reports none.
std::vector<std::string> problems_of(const CommandLine& line, const EnvMap& env = {}) {
    try {
        jobsync::config::load_settings(line, env);
    } catch (const ConfigError& e) {
        return e.problems();
    }
    BOOST_FAIL("expected a ConfigError");
    return {};
}

}  // namespace

// load_settings reads the files named on the command line; the environment is passed in.
BOOST_AUTO_TEST_SUITE(load_settings)

BOOST_AUTO_TEST_CASE(an_env_file_is_read_and_the_environment_wins_over_it) {
    const TempFile env_file(
        "SUPABASE_URL=https://abcdefgh.supabase.co\n"
        "SUPABASE_SERVICE_ROLE_KEY=sb_secret_fromfile\n"
        "JSEARCH_API_KEY=file-key\n"
        "JOBS_TABLE=from_file\n");
    const TempFile queries("q one\nq two\n");
    CommandLine line = sync_line();
    line.options["env-file"] = env_file.path;
    line.options["queries-file"] = queries.path;
    const Settings settings = jobsync::config::load_settings(line, {{"JOBS_TABLE", "from_env"}});
    BOOST_TEST(settings.jobs_table == "from_env");
    BOOST_TEST(settings.supabase_key.reveal() == "sb_secret_fromfile");
    BOOST_TEST_REQUIRE(settings.queries.size() == 2u);
    BOOST_TEST(settings.queries[0].text == "q one");
    BOOST_TEST(settings.queries[1].text == "q two");
}

BOOST_AUTO_TEST_CASE(a_missing_or_unreadable_env_file_is_a_config_error_naming_it) {
    CommandLine line = sync_line();
    line.options["env-file"] = "/nonexistent/job-sync.env";
    BOOST_TEST(
        problems_of(line) ==
            std::vector<std::string>{"--env-file /nonexistent/job-sync.env does not exist; "
                                     "check the path, or leave out --env-file to read ./.env "
                                     "when present"},
        boost::test_tools::per_element());
    line.options["env-file"] = "/tmp";
    BOOST_TEST(
        problems_of(line) ==
            std::vector<std::string>{"cannot read the env file /tmp (check the path given to "
                                     "--env-file and its permissions)"},
        boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_malformed_env_file_reports_only_its_own_errors_by_path_and_line) {
    const TempFile env_file("GOOD=1\nSECRET=\"unterminated\nbroken\n");
    CommandLine line = sync_line();
    line.options["env-file"] = env_file.path;
    const auto problems = problems_of(line);
    BOOST_TEST_REQUIRE(problems.size() == 2u);
    BOOST_TEST(problems[0] == env_file.path +
                                  ":2: unterminated double quote in the value of SECRET "
                                  "(add the closing \")");
    BOOST_TEST(problems[1] == env_file.path + ":3: expected KEY=value but found no '='");
}

BOOST_AUTO_TEST_CASE(unreadable_queries_and_ca_files_are_config_errors_naming_them) {
    const TempFile env_file(
        "SUPABASE_URL=https://abcdefgh.supabase.co\n"
        "SUPABASE_SERVICE_ROLE_KEY=sb_secret_fromfile\n"
        "JSEARCH_API_KEY=file-key\n"
        "JSEARCH_QUERIES=q\n");
    CommandLine line = sync_line();
    line.options["env-file"] = env_file.path;
    line.options["queries-file"] = "/nonexistent/queries.txt";
    const auto queries = problems_of(line);
    BOOST_TEST_REQUIRE(queries.size() == 1u);
    BOOST_TEST(contains(queries[0], "--queries-file /nonexistent/queries.txt cannot be read"));
    line.options.erase("queries-file");
    line.options["ca-file"] = "/tmp";
    const auto ca = problems_of(line);
    BOOST_TEST_REQUIRE(ca.size() == 1u);
    BOOST_TEST(contains(ca[0], "--ca-file /tmp cannot be read"));
}

// The documented example must stay a valid file that mentions every variable we read, and a
// copy left unfilled must name each placeholder still in it.
BOOST_AUTO_TEST_CASE(the_example_env_file_documents_every_variable_and_names_its_placeholders) {
    const std::string path = std::string(JOBSYNC_SOURCE_DIR) + "/env/.env.example";
    std::ifstream file(path);
    BOOST_TEST_REQUIRE(static_cast<bool>(file));
    const std::string text((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());
    for (const char* name :
         {"SUPABASE_URL", "SUPABASE_SERVICE_ROLE_KEY", "JSEARCH_API_KEY", "JSEARCH_BASE_URL",
          "JSEARCH_HOST", "JOBS_TABLE", "JSEARCH_QUERIES", "JOBSYNC_HTTP_TIMEOUT_SECONDS"}) {
        BOOST_TEST(contains(text, std::string(name) + "="), name);
    }
    CommandLine line = sync_line();
    line.options["env-file"] = path;
    const auto problems = problems_of(line);
    BOOST_TEST_REQUIRE(problems.size() == 3u);
    BOOST_TEST(problems[0].rfind("SUPABASE_URL still holds the placeholder", 0) == 0u);
    BOOST_TEST(problems[1].rfind("SUPABASE_SERVICE_ROLE_KEY still holds the placeholder", 0) == 0u);
    BOOST_TEST(problems[2].rfind("JSEARCH_API_KEY still holds the placeholder", 0) == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
