// A child process's peak resident memory, read while it runs.
//
// wait4's ru_maxrss cannot be used for a child: at exec, Linux charges the new process the RSS
// high-water mark of the memory it was spawned from, i.e. the test or bench process (which may
// hold a whole feed, or everything AddressSanitizer keeps). VmHWM in /proc/<pid>/status is the
// high-water mark of the child's own memory and only grows, so polling it until the child
// exits gives the child's peak (growth in the last poll interval aside).
#pragma once

#include <sys/types.h>

namespace jobsync::testing {

// VmHWM of `pid` in KiB; 0 once the process has exited (or never existed).
long high_water_kib(pid_t pid);

}  // namespace jobsync::testing
