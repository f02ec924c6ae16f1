// Progress of a run, as plain data the runner hands to an observer, and the one line people
// see for it: "query 3/12 · page 20/50 · 1,940 jobs · 2 retries". Pure formatting; where the
// line goes (a terminal line updated in place, or one log line per query) is output/'s job.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace jobsync::sync {

struct QueryProgress {
    enum class Stage { started, page, finished };
    Stage stage = Stage::started;
    std::size_t query_number = 0;  // 1-based
    std::size_t query_count = 0;
    std::string query;
    int pages_done = 0;  // pages of this query received so far
    int pages_planned = 0;
    // Figures of the whole run so far.
    std::size_t jobs_fetched = 0;
    std::size_t rows_upserted = 0;
    long retries = 0;     // counted when a query or batch ends
    bool failed = false;  // finished: the query failed
};

using ProgressObserver = std::function<void(const QueryProgress&)>;

// 1940 -> "1,940"; negative numbers keep their sign.
std::string group_thousands(long long value);

// "query 3/12 · page 20/50 · 1,940 jobs · 2 retries" ("1 retry", "1 job").
std::string format_progress(const QueryProgress& progress);

// `line` cut to at most `columns` terminal columns (UTF-8 code points), ending in "…" when
// cut; a line that fits is returned whole.
std::string fit_to_columns(const std::string& line, std::size_t columns);

}  // namespace jobsync::sync
