#include "support/process_memory.hpp"

#include <cstdlib>
#include <fstream>
#include <string>

namespace jobsync::testing {

long high_water_kib(pid_t pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(file, line);) {
        if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);  // "VmHWM:  123 kB"
    }
    return 0;
}

}  // namespace jobsync::testing
