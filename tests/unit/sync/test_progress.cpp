#include <boost/test/unit_test.hpp>
#include <climits>
#include <string>
#include <vector>

#include "fakes.hpp"
#include "sync/progress.hpp"
#include "sync/runner.hpp"

using namespace jobsync;
using namespace jobsync::testing;
using Stage = sync::QueryProgress::Stage;

namespace {

sync::QueryProgress progress(std::size_t number, std::size_t count, int done, int planned,
                             std::size_t jobs, long retries) {
    sync::QueryProgress p;
    p.query_number = number;
    p.query_count = count;
    p.pages_done = done;
    p.pages_planned = planned;
    p.jobs_fetched = jobs;
    p.retries = retries;
    return p;
}

sync::FetchedPage page_of(int first_page, int page_count, std::vector<std::string> ids) {
    std::vector<jobs::JobRow> rows;
    for (auto& id : ids) rows.push_back(job(std::move(id)));
    auto p = page("", first_page, std::move(rows));
    p.page_count = page_count;
    return p;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(progress_line)

BOOST_AUTO_TEST_CASE(the_line_shows_query_page_jobs_and_retries_with_grouped_thousands) {
    BOOST_TEST(sync::format_progress(progress(3, 12, 20, 50, 1940, 2)) ==
               "query 3/12 · page 20/50 · 1,940 jobs · 2 retries");
    BOOST_TEST(sync::format_progress(progress(1, 1, 1, 1, 1, 1)) ==
               "query 1/1 · page 1/1 · 1 job · 1 retry");
}

BOOST_AUTO_TEST_CASE(thousands_are_grouped_by_three_digits) {
    BOOST_TEST(sync::group_thousands(0) == "0");
    BOOST_TEST(sync::group_thousands(999) == "999");
    BOOST_TEST(sync::group_thousands(1000) == "1,000");
    BOOST_TEST(sync::group_thousands(1234567) == "1,234,567");
    BOOST_TEST(sync::group_thousands(-1234) == "-1,234");
    BOOST_TEST(sync::group_thousands(LLONG_MIN) == "-9,223,372,036,854,775,808");
}

BOOST_AUTO_TEST_CASE(a_line_wider_than_the_terminal_is_cut_by_columns_not_bytes) {
    const std::string line = "query 1/2 · page 3/4";  // 20 columns, "·" is two bytes
    BOOST_TEST(sync::fit_to_columns(line, 20) == line);
    BOOST_TEST(sync::fit_to_columns(line, 12) == "query 1/2 ·…");
    BOOST_TEST(sync::fit_to_columns(line, 1) == "…");
    BOOST_TEST(sync::fit_to_columns(line, 0) == "");
}

BOOST_AUTO_TEST_CASE(the_runner_reports_each_query_start_page_and_end_in_order) {
    FakeJobSource source;
    FakeJobStore store;
    source.script["a"].pages = {page_of(1, 1, {"a1", "a2"}), page_of(2, 2, {"a3"})};
    source.script["a"].outcome.pages = 3;
    source.script["a"].outcome.retries = 2;
    source.script["b"].outcome.failure = sync::Failure::transient;
    source.script["b"].outcome.message = "HTTP 503";

    std::vector<sync::QueryProgress> seen;
    sync::RunOptions options;
    options.run_started_at = "2024-05-01T12:00:00.000Z";
    options.encode_row = [](std::string& out, const jobs::JobRow& row, std::string_view) {
        out += "{\"job_id\":\"" + row.job_id.str() + "\"}";
    };
    options.on_progress = [&seen](const sync::QueryProgress& p) { seen.push_back(p); };
    auto a = query("a");
    a.pages = 3;
    auto b = query("b");
    b.pages = 5;
    CapturedLog log;
    sync::run_sync({a, b}, source, store, options);

    BOOST_REQUIRE_EQUAL(seen.size(), 6u);
    const std::vector<Stage> stages{Stage::started,  Stage::page,    Stage::page,
                                    Stage::finished, Stage::started, Stage::finished};
    for (std::size_t i = 0; i < seen.size(); ++i) {
        BOOST_TEST_CONTEXT("event " << i) {
            BOOST_TEST((seen[i].stage == stages[i]));
            BOOST_TEST(seen[i].query_count == 2u);
            BOOST_TEST(seen[i].query_number == (i < 4 ? 1u : 2u));
        }
    }
    BOOST_TEST(seen[1].pages_done == 1);
    BOOST_TEST(seen[1].jobs_fetched == 2u);
    BOOST_TEST(seen[2].pages_done == 3);  // the second response carried pages 2 and 3
    BOOST_TEST(seen[2].pages_planned == 3);
    BOOST_TEST(seen[3].jobs_fetched == 3u);
    BOOST_TEST(seen[3].retries == 2);  // counted once the query ended
    BOOST_TEST(!seen[3].failed);
    BOOST_TEST(seen[5].query == "b");
    BOOST_TEST(seen[5].pages_done == 0);
    BOOST_TEST(seen[5].pages_planned == 5);
    BOOST_TEST(seen[5].failed);
}

BOOST_AUTO_TEST_SUITE_END()
