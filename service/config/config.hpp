// Builds the validated Settings of a run from the command line, the environment and a .env
// file. build_settings is pure; load_settings is the thin part that reads the real
// environment and files.
//
// Precedence, per variable: the real environment, then the .env file (its last entry for a
// name), then the default. An empty value counts as unset, so `JOBS_TABLE=` in the
// environment does not hide the file's value.
//
// SUPABASE_URL may be pasted with a trailing "/" or "/rest/v1" (as the dashboard's API docs
// show it): both are stripped, the clients add /rest/v1 themselves.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/cli.hpp"
#include "config/dotenv.hpp"
#include "config/settings.hpp"

namespace jobsync::config {

using EnvMap = std::map<std::string, std::string>;

// Merges and validates. `queries_file_text` is the content of line.queries_file, read by the
// caller; it must be given when line.queries_file is set (std::logic_error otherwise).
// Throws ConfigError listing every problem found, each naming the setting and how to fix it.
Settings build_settings(const CommandLine& line, const EnvMap& process_env,
                        const std::vector<DotenvEntry>& dotenv,
                        const std::optional<std::string>& queries_file_text = std::nullopt);

// Reads the .env file (line.env_file, which must exist, or ./.env when present) and
// line.queries_file, then calls build_settings with `process_env` (the app passes what
// read_process_environment saw). Throws ConfigError.
Settings load_settings(const CommandLine& line, const EnvMap& process_env);

EnvMap read_process_environment();

}  // namespace jobsync::config
