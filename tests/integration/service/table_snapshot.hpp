// The jobs table, row by row, as text: compared before and after a run that must not change it.
#pragma once

#include <string>
#include <vector>

#include "support/pg.hpp"

namespace jobsync::testing {

inline std::vector<std::string> table_rows(PgConnection& db) {
    auto rows = db.exec(
        "select concat_ws('|', job_id, is_active::text, last_seen::text, click_count::text, "
        "coalesce(lane, '<null>'), job_title, updated_at::text) as line from public.jobs "
        "order by job_id");
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < rows.rows.size(); ++i) lines.push_back(*rows.at(i, "line"));
    return lines;
}

}  // namespace jobsync::testing
