#include "support/sanitizer_options.hpp"

#include <cstdlib>

namespace jobsync::testing {

std::vector<std::string> sanitizer_options() {
    std::vector<std::string> options;
    for (const char* name : {"ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS"}) {
        if (const char* value = std::getenv(name))
            options.push_back(std::string(name) + "=" + value);
    }
    return options;
}

}  // namespace jobsync::testing
