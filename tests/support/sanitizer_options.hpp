// The sanitizers' run-time options (ASAN_OPTIONS, LSAN_OPTIONS, TSAN_OPTIONS, UBSAN_OPTIONS)
// this process was started with, for the job-sync processes a test starts with an environment
// of its own: a sanitizer build's children then use the same suppressions as the test.
#pragma once

#include <string>
#include <vector>

namespace jobsync::testing {

// "NAME=value" for each of those variables that is set here.
std::vector<std::string> sanitizer_options();

}  // namespace jobsync::testing
