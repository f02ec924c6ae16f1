// job-sync-machine-costs (`make bench-machine`): what the kernel charges, on this machine, for
// the events a sync cannot avoid and floor (a) never meets: a system call, a page fault (fresh
// memory, and memory mapped again after it was unmapped; the same memory in 2 MiB huge pages,
// for comparison), a thread woken and answering, and bytes through loopback TCP. Multiplied by the
// counts `perf stat` gives for a run (page-faults, context-switches; strace -c for syscalls), they
// say how much of job-sync's CPU time is the kernel's toll rather than its own work
// (docs/performance.md). Loopback only.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

double cpu_seconds(clockid_t clock) {
    timespec now{};
    ::clock_gettime(clock, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

double thread_cpu() { return cpu_seconds(CLOCK_THREAD_CPUTIME_ID); }

constexpr std::size_t kPage = 4096;

// CPU per system call: getppid, which does nothing but enter and leave the kernel.
double syscall_us() {
    constexpr int kCalls = 200000;
    const double started = thread_cpu();
    for (int i = 0; i < kCalls; ++i) ::syscall(SYS_getppid);
    return (thread_cpu() - started) / kCalls * 1e6;
}

// CPU per 4 KiB page touched, and the faults taken, touching `megabytes` of anonymous memory
// a page at a time, `rounds` times, unmapping it in between: the first round's pages are
// fresh, the later ones' are the pages just given back (as a buffer freed and allocated again
// gets them). With Pages::huge the memory is mapped 2 MiB-aligned and advised into transparent
// huge pages (madvise(MADV_HUGEPAGE), which THP's `madvise` mode needs).
enum class Pages { small, huge };

struct Touch {
    std::vector<double> us_per_4k;
    std::vector<double> faults;
    std::string unavailable;  // why, when the kernel refused the advice (no THP)
};

long minor_faults() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
}

Touch touch_us(std::size_t megabytes, int rounds, Pages pages) {
    constexpr std::size_t kHuge = std::size_t{2} << 20;
    const std::size_t bytes = megabytes << 20;
    const std::size_t mapped_bytes = pages == Pages::huge ? bytes + kHuge : bytes;
    Touch touch;
    for (int round = 0; round < rounds; ++round) {
        void* mapped = ::mmap(nullptr, mapped_bytes, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (mapped == MAP_FAILED) throw std::runtime_error("mmap failed");
        char* start = static_cast<char*>(mapped);
        if (pages == Pages::huge) {
            const auto misalignment = reinterpret_cast<std::uintptr_t>(mapped) % kHuge;
            start += misalignment == 0 ? 0 : kHuge - misalignment;
            if (::madvise(start, bytes, MADV_HUGEPAGE) != 0) {
                touch.unavailable = std::string("madvise(MADV_HUGEPAGE): ") + std::strerror(errno);
                ::munmap(mapped, mapped_bytes);
                return touch;
            }
        }
        volatile char* memory = start;
        const long faults_before = minor_faults();
        const double started = thread_cpu();
        for (std::size_t at = 0; at < bytes; at += kPage) memory[at] = 1;
        touch.us_per_4k.push_back((thread_cpu() - started) /
                                  (static_cast<double>(bytes) / static_cast<double>(kPage)) * 1e6);
        touch.faults.push_back(static_cast<double>(minor_faults() - faults_before));
        ::munmap(mapped, mapped_bytes);
    }
    return touch;
}

// CPU per hand-off between two threads through a mutex and condition variable, as job-sync's
// threads hand pages and answers on: each side waits until the other has answered. Process
// CPU (both threads) per one-way hand-off.
double handoff_us() {
    constexpr int kRounds = 20000;
    std::mutex mutex;
    std::condition_variable changed;
    int turn = 0;  // even: the main thread's, odd: the other's
    const double started = cpu_seconds(CLOCK_PROCESS_CPUTIME_ID);
    std::thread other([&] {
        for (int i = 0; i < kRounds; ++i) {
            std::unique_lock lock(mutex);
            changed.wait(lock, [&] { return turn % 2 == 1; });
            ++turn;
            changed.notify_one();
        }
    });
    for (int i = 0; i < kRounds; ++i) {
        std::unique_lock lock(mutex);
        ++turn;
        changed.notify_one();
        changed.wait(lock, [&] { return turn % 2 == 0; });
    }
    other.join();
    return (cpu_seconds(CLOCK_PROCESS_CPUTIME_ID) - started) / (2.0 * kRounds) * 1e6;
}

struct TcpCost {
    double send_ms_per_100mb = 0;
    double receive_ms_per_100mb = 0;
    long reads = 0;
};

// `megabytes` from one thread to another over 127.0.0.1, written 64 KiB at a time (cpprestsdk's
// chunk) and read up to 64 KiB at a time: each side's CPU (its thread clock counts the kernel
// work done on its behalf, loopback delivery included on the sending side).
TcpCost loopback_tcp(std::size_t megabytes) {
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        ::listen(listener, 1) != 0 ||
        ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        throw std::runtime_error(std::string("loopback listener: ") + std::strerror(errno));
    }
    const std::size_t total = megabytes << 20;
    constexpr std::size_t kChunk = std::size_t{64} * 1024;
    // Connected before the sender starts (the listen backlog takes it), so a failure here
    // cannot leave accept() waiting.
    const int out = ::socket(AF_INET, SOCK_STREAM, 0);
    if (out < 0 || ::connect(out, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        throw std::runtime_error(std::string("loopback connect: ") + std::strerror(errno));
    }
    const int in = ::accept(listener, nullptr, nullptr);
    if (in < 0) throw std::runtime_error(std::string("loopback accept: ") + std::strerror(errno));
    std::atomic<double> send_cpu{0};
    std::thread sender([&] {
        std::vector<char> chunk(kChunk, 'x');
        const double started = thread_cpu();
        for (std::size_t sent = 0; sent < total;) {
            const ssize_t n = ::send(out, chunk.data(), std::min(kChunk, total - sent), 0);
            if (n <= 0) break;
            sent += static_cast<std::size_t>(n);
        }
        send_cpu = thread_cpu() - started;
        ::close(out);
    });
    std::vector<char> buffer(kChunk);
    TcpCost cost;
    std::size_t received = 0;
    const double started = thread_cpu();
    for (ssize_t n = 0; (n = ::recv(in, buffer.data(), buffer.size(), 0)) > 0;) {
        received += static_cast<std::size_t>(n);
        ++cost.reads;
    }
    const double receive_cpu = thread_cpu() - started;
    sender.join();
    ::close(in);
    ::close(listener);
    if (received != total) throw std::runtime_error("loopback: short transfer");
    const double per_100mb = 100.0 / static_cast<double>(megabytes) * 1e3;
    cost.send_ms_per_100mb = send_cpu * per_100mb;
    cost.receive_ms_per_100mb = receive_cpu * per_100mb;
    return cost;
}

std::string list(const std::vector<double>& values, const char* format = "%.2f") {
    std::string text;
    char one[32];
    for (double value : values) {
        std::snprintf(one, sizeof one, format, value);
        text += (text.empty() ? "" : " / ") + std::string(one);
    }
    return text;
}

}  // namespace

int main() {
    try {
        std::printf("| event | CPU, this machine |\n|---|---:|\n");
        std::printf("| system call (getppid), 200,000 | %.2f µs |\n", syscall_us());
        const Touch small = touch_us(64, 4, Pages::small);
        std::printf(
            "| page fault, 64 MiB fresh, then mapped again: 4 rounds, %s faults | %s µs |\n",
            list(small.faults, "%.0f").c_str(), list(small.us_per_4k).c_str());
        const Touch huge = touch_us(64, 4, Pages::huge);
        if (huge.unavailable.empty()) {
            std::printf(
                "| the same in 2 MiB huge pages (MADV_HUGEPAGE), per 4 KiB: %s faults | %s µs |\n",
                list(huge.faults, "%.0f").c_str(), list(huge.us_per_4k).c_str());
        } else {
            std::printf("| the same in 2 MiB huge pages | not available (%s) |\n",
                        huge.unavailable.c_str());
        }
        std::printf("| thread hand-off (mutex + condition variable), 40,000 | %.2f µs |\n",
                    handoff_us());
        const TcpCost tcp = loopback_tcp(128);
        std::printf("| loopback TCP, 128 MiB in 64 KiB sends: sender | %.1f ms per 100 MiB |\n",
                    tcp.send_ms_per_100mb);
        std::printf("| loopback TCP, same: receiver (%ld reads) | %.1f ms per 100 MiB |\n",
                    tcp.reads, tcp.receive_ms_per_100mb);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "job-sync-machine-costs: %s\n", e.what());
        return 1;
    }
}
