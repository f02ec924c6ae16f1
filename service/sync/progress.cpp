#include "sync/progress.hpp"

#include <cstdlib>

namespace jobsync::sync {

namespace {

std::string plural(long long count, const char* one, const char* many) {
    return group_thousands(count) + " " + (count == 1 ? one : many);
}

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

std::string group_thousands(long long value) {
    const std::string digits = std::to_string(value < 0 ? -(value + 1) + 1ULL : value + 0ULL);
    std::string grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
        grouped.push_back(digits[i]);
    }
    return value < 0 ? "-" + grouped : grouped;
}

std::string format_progress(const QueryProgress& p) {
    return "query " + std::to_string(p.query_number) + "/" + std::to_string(p.query_count) +
           " · page " + std::to_string(p.pages_done) + "/" + std::to_string(p.pages_planned) +
           " · " + plural(static_cast<long long>(p.jobs_fetched), "job", "jobs") + " · " +
           plural(p.retries, "retry", "retries");
}

std::string fit_to_columns(const std::string& line, std::size_t columns) {
    std::size_t count = 0;
    for (char c : line) count += is_continuation_byte(c) ? 0 : 1;
    if (count <= columns) return line;
    if (columns == 0) return {};
    std::string cut;
    std::size_t kept = 0;
    for (char c : line) {
        if (!is_continuation_byte(c) && ++kept == columns) break;  // room for "…"
        cut.push_back(c);
    }
    return cut + "…";
}

}  // namespace jobsync::sync
