// The command line, parsed into plain data. cli.cpp is the only code that uses cxxopts; the
// help prose is in help_text.hpp. It never prints or exits: help and version are requests the
// app acts on (help_text holds the text), and mistakes are UsageError.
//
//   job-sync [--help | --version]
//   job-sync sync [options]        `job-sync sync --help`
//   job-sync check [options]       is the setup able to sync?
//   job-sync status [options]      the last runs and the lease
//
// Option values are kept as typed: their form and meaning (numbers, ranges, choices) are
// checked with the rest of the configuration in config.cpp, so all problems show at once, and
// the defaults live in one place, config::Settings.
// There is deliberately no flag for a secret: command lines show up in `ps`.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jobsync::config {

enum class Command { none, sync, check, status };

struct CommandLine {
    Command command = Command::none;
    bool show_help = false;
    bool show_version = false;
    std::string help_text;  // the help for `command` (the overview when none)

    std::vector<std::string> queries;  // --query, in the order given
    // Every other option given, by long name ("pages" -> "3"); a switch reads "true" (or
    // "false" for --switch=false). A repeated option keeps its last value.
    std::map<std::string, std::string, std::less<>> options;

    std::optional<std::string> option(std::string_view name) const {
        const auto found = options.find(name);
        if (found == options.end()) return std::nullopt;
        return found->second;
    }
    bool flag(std::string_view name) const { return option(name) == "true"; }
};

// argv[0] is the program name. Throws UsageError.
CommandLine parse_command_line(int argc, const char* const* argv);

}  // namespace jobsync::config
