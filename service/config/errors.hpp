// The two failures that end a run before any network call. app.cpp catches them in one place
// and turns them into an exit code. Messages name the setting, file or line and how to fix it;
// they never contain a secret value.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace jobsync::config {

// The command line is wrong: unknown option, missing or non-numeric value, a secret passed as
// a flag.
class UsageError : public std::runtime_error {
  public:
    explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

// A setting is missing or malformed, or the .env file cannot be read or parsed. Carries every
// problem found, so one run shows the user everything to fix.
class ConfigError : public std::runtime_error {
  public:
    explicit ConfigError(const std::string& problem)
        : ConfigError(std::vector<std::string>{problem}) {}
    explicit ConfigError(std::vector<std::string> problems)
        : std::runtime_error(join(problems)), problems_(std::move(problems)) {}

    const std::vector<std::string>& problems() const { return problems_; }

  private:
    static std::string join(const std::vector<std::string>& problems) {
        if (problems.size() == 1) return "configuration error: " + problems.front();
        std::string text = "configuration errors:";
        for (const auto& problem : problems) text += "\n  - " + problem;
        return text;
    }

    std::vector<std::string> problems_;
};

}  // namespace jobsync::config
