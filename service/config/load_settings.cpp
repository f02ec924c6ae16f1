// The impure edge of configuration: the process environment and the files named on the
// command line. Everything it reads goes to the pure build_settings.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/config.hpp"
#include "config/errors.hpp"

extern char** environ;

namespace jobsync::config {

namespace {

// The whole file; nullopt when it cannot be read (a directory included).
std::optional<std::string> read_file(const std::string& path) {
    std::error_code ignored;
    std::ifstream file(path, std::ios::binary);
    if (!file || std::filesystem::is_directory(path, ignored)) return std::nullopt;
    std::ostringstream text;
    text << file.rdbuf();
    if (file.bad()) return std::nullopt;
    return text.str();
}

std::vector<DotenvEntry> read_env_file(const CommandLine& line) {
    std::error_code ignored;
    std::string path = line.option("env-file").value_or("");
    if (path.empty()) {
        if (!std::filesystem::exists(".env", ignored)) return {};
        path = ".env";
    } else if (!std::filesystem::exists(path, ignored)) {
        throw ConfigError("--env-file " + path +
                          " does not exist; check the path, or leave out --env-file to read "
                          "./.env when present");
    }
    const auto text = read_file(path);
    if (!text) {
        throw ConfigError("cannot read the env file " + path +
                          " (check the path given to --env-file and its permissions)");
    }
    DotenvResult parsed = parse_dotenv(*text, path);
    // A broken file would make the rest look missing: report only the file's own errors.
    if (!parsed.ok()) throw ConfigError(std::move(parsed.errors));
    return std::move(parsed.entries);
}

}  // namespace

EnvMap read_process_environment() {
    EnvMap env;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text = *entry;
        const auto equals = text.find('=');
        if (equals == std::string_view::npos) continue;
        env.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
    }
    return env;
}

Settings load_settings(const CommandLine& line, const EnvMap& process_env) {
    const std::vector<DotenvEntry> dotenv = read_env_file(line);
    std::optional<std::string> queries_file_text;
    if (const auto path = line.option("queries-file")) {
        queries_file_text = read_file(*path);
        if (!queries_file_text) {
            throw ConfigError("--queries-file " + *path +
                              " cannot be read; check the path and its permissions");
        }
    }
    Settings settings = build_settings(line, process_env, dotenv, queries_file_text);
    if (!settings.ca_file.empty() && !read_file(settings.ca_file)) {
        throw ConfigError("--ca-file " + settings.ca_file +
                          " cannot be read; give a PEM file of CA certificates");
    }
    return settings;
}

}  // namespace jobsync::config
