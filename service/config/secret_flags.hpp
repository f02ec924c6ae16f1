// Secrets never go on the command line (it shows up in `ps`): a flag that looks like one gets a
// pointed answer instead of "unknown option". Pure: argv in, UsageError out.
#pragma once

#include <functional>
#include <string_view>

namespace jobsync::config {

// Throws UsageError naming the first flag (before a `--`) whose name contains key, secret,
// token, password or jwt, in any case. The argument after a flag for which takes_value is true
// is that flag's value and is not looked at: `--report --token-report.json` is fine.
void reject_secret_flags(int argc, const char* const* argv,
                         const std::function<bool(std::string_view flag)>& takes_value);

}  // namespace jobsync::config
