// What the configuration tests share: a valid environment, a parsed command line, and the
// problems build_settings reports, each checked for the secrets it must never print.
#pragma once

#include <boost/test/unit_test.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/cli.hpp"
#include "config/config.hpp"
#include "config/errors.hpp"
#include "jwt_maker.hpp"

namespace jobsync::testing {

inline const std::string kServiceKey = service_role_jwt();
inline const std::string kRapidKey = "rapid0123456789abcdefSECRET";

// Everything a sync needs, with `overrides` set (an empty value sets it empty).
inline config::EnvMap valid_env(const std::map<std::string, std::string>& overrides = {}) {
    config::EnvMap env{{"SUPABASE_URL", "https://abcdefgh.supabase.co"},
                       {"SUPABASE_SERVICE_ROLE_KEY", kServiceKey},
                       {"JSEARCH_API_KEY", kRapidKey},
                       {"JSEARCH_QUERIES", "rust developer"}};
    for (const auto& [name, value] : overrides) env[name] = value;
    return env;
}

// `job-sync <words...>` as the real parser reads it.
inline config::CommandLine parse(std::vector<std::string> words) {
    words.insert(words.begin(), "job-sync");
    std::vector<const char*> argv;
    for (const auto& word : words) argv.push_back(word.c_str());
    return config::parse_command_line(static_cast<int>(argv.size()), argv.data());
}

// `job-sync sync <words...>`.
inline config::CommandLine sync_line(std::vector<std::string> words = {}) {
    words.insert(words.begin(), "sync");
    return parse(std::move(words));
}

// Every problem build_settings reports for this input; fails the test when there is none.
inline std::vector<std::string> problems_of(
    const config::CommandLine& line, const config::EnvMap& env,
    const std::vector<config::DotenvEntry>& dotenv = {},
    const std::optional<std::string>& queries_file = std::nullopt) {
    try {
        config::build_settings(line, env, dotenv, queries_file);
    } catch (const config::ConfigError& e) {
        const std::string text = e.what();
        BOOST_TEST(text.find(kRapidKey) == std::string::npos);
        BOOST_TEST(text.find(kServiceKey) == std::string::npos);
        return e.problems();
    }
    BOOST_FAIL("expected a ConfigError");
    return {};
}

// The one problem build_settings reports; fails the test unless there is exactly one.
inline std::string only_problem(const config::EnvMap& env,
                                const config::CommandLine& line = sync_line()) {
    const auto problems = problems_of(line, env);
    BOOST_TEST_REQUIRE(problems.size() == 1u);
    return problems.front();
}

}  // namespace jobsync::testing
