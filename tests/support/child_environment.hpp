// The environment a test gives a job-sync process it starts: exactly the variables the test
// chose, plus the sanitizers' run-time options (ASAN_OPTIONS, LSAN_OPTIONS, TSAN_OPTIONS,
// UBSAN_OPTIONS) this process has and the test did not set, so that a sanitizer build's
// children use the same suppressions as the test. In a normal build none of those are set.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace jobsync::testing {

// "NAME=value" entries, for execve's envp.
std::vector<std::string> child_environment(const std::map<std::string, std::string>& chosen);

}  // namespace jobsync::testing
