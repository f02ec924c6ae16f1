#include "config/secret_flags.hpp"

#include <string>

#include "config/errors.hpp"
#include "text/strings.hpp"

namespace jobsync::config {

void reject_secret_flags(int argc, const char* const* argv,
                         const std::function<bool(std::string_view flag)>& takes_value) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "--") break;
        if (takes_value(arg)) {
            ++i;
            continue;
        }
        if (arg.size() < 2 || arg.front() != '-') continue;
        const std::string name(arg.substr(0, arg.find('=')));
        for (std::string_view word : {"key", "secret", "token", "password", "jwt"}) {
            if (text::find_ignoring_case(name, word) != std::string_view::npos) {
                throw UsageError(
                    name +
                    ": secrets cannot be passed as flags (command lines show up in `ps`); set "
                    "SUPABASE_SERVICE_ROLE_KEY and JSEARCH_API_KEY in the environment or in "
                    "the .env file (--env-file PATH)");
            }
        }
    }
}

}  // namespace jobsync::config
