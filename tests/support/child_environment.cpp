#include "support/child_environment.hpp"

#include <cstdlib>
#include <string_view>
#include <utility>

namespace jobsync::testing {

std::vector<std::string> child_environment(const std::map<std::string, std::string>& chosen) {
    std::vector<std::string> entries;
    entries.reserve(chosen.size() + 4);
    const auto add = [&entries](std::string_view name, std::string_view value) {
        std::string entry(name);
        entry += '=';
        entry += value;
        entries.push_back(std::move(entry));
    };
    for (const auto& [name, value] : chosen) add(name, value);
    for (const char* name : {"ASAN_OPTIONS", "LSAN_OPTIONS", "TSAN_OPTIONS", "UBSAN_OPTIONS"}) {
        const char* value = std::getenv(name);
        if (value != nullptr && chosen.count(name) == 0) add(name, value);
    }
    return entries;
}

}  // namespace jobsync::testing
