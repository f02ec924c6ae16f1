#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "sync/batcher.hpp"

using jobsync::sync::UpsertBatch;
using jobsync::sync::UpsertBatcher;

namespace {

// A JSON object of exactly `bytes` bytes: {"id":"<n>","p":"xxx..."}
std::string row_of(int id, std::size_t bytes) {
    std::string row = "{\"id\":\"" + std::to_string(id) + "\",\"p\":\"";
    const std::size_t tail = 2;  // "}
    BOOST_REQUIRE(bytes >= row.size() + tail);
    row.append(bytes - row.size() - tail, 'x');
    row += "\"}";
    return row;
}

// Feeds every row; returns the batches in the order they came out, flush included.
std::vector<UpsertBatch> batch_all(UpsertBatcher& batcher, const std::vector<std::string>& rows) {
    std::vector<UpsertBatch> out;
    for (const auto& row : rows) {
        if (auto batch = batcher.add(row)) out.push_back(std::move(*batch));
    }
    if (auto last = batcher.flush()) out.push_back(std::move(*last));
    return out;
}

std::vector<std::string> ids_in(const UpsertBatch& batch) {
    rapidjson::Document doc;
    doc.Parse(batch.json.c_str(), batch.json.size());
    BOOST_REQUIRE(!doc.HasParseError());
    BOOST_REQUIRE(doc.IsArray());
    std::vector<std::string> ids;
    for (const auto& item : doc.GetArray()) {
        BOOST_REQUIRE(item.IsObject() && item.HasMember("id") && item["id"].IsString());
        ids.emplace_back(item["id"].GetString());
    }
    return ids;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(batcher)

BOOST_AUTO_TEST_CASE(a_batch_is_sent_as_soon_as_it_holds_max_rows) {
    UpsertBatcher batcher(2, 1 << 20);
    BOOST_TEST(!batcher.add(row_of(1, 20)).has_value());
    const auto full = batcher.add(row_of(2, 20));
    BOOST_REQUIRE(full.has_value());
    BOOST_TEST(full->rows == 2u);
    BOOST_TEST(full->json == "[" + row_of(1, 20) + "," + row_of(2, 20) + "]");
    BOOST_TEST(batcher.pending_rows() == 0u);
    BOOST_TEST(!batcher.flush().has_value());
}

BOOST_AUTO_TEST_CASE(rows_are_cut_into_batches_of_max_rows_with_the_remainder_flushed) {
    UpsertBatcher batcher(3, 1 << 20);
    std::vector<std::string> rows;
    for (int i = 1; i <= 7; ++i) rows.push_back(row_of(i, 20));
    const auto batches = batch_all(batcher, rows);
    BOOST_REQUIRE(batches.size() == 3u);
    BOOST_TEST(batches[0].rows == 3u);
    BOOST_TEST(batches[1].rows == 3u);
    BOOST_TEST(batches[2].rows == 1u);
    BOOST_TEST(ids_in(batches[0]) == (std::vector<std::string>{"1", "2", "3"}));
    BOOST_TEST(ids_in(batches[1]) == (std::vector<std::string>{"4", "5", "6"}));
    BOOST_TEST(ids_in(batches[2]) == (std::vector<std::string>{"7"}));
}

BOOST_AUTO_TEST_CASE(a_batch_exactly_at_max_bytes_is_kept_whole) {
    // "[" + 20 + "," + 20 + "]" = 43 bytes: exactly the limit, so both rows go together.
    UpsertBatcher batcher(100, 43);
    BOOST_TEST(!batcher.add(row_of(1, 20)).has_value());
    BOOST_TEST(!batcher.add(row_of(2, 20)).has_value());
    const auto last = batcher.flush();
    BOOST_REQUIRE(last.has_value());
    BOOST_TEST(last->rows == 2u);
    BOOST_TEST(last->json.size() == 43u);
}

BOOST_AUTO_TEST_CASE(a_batch_is_cut_before_one_more_byte_would_pass_max_bytes) {
    // One byte less than the two rows need: the second row starts a new batch.
    UpsertBatcher batcher(100, 42);
    BOOST_TEST(!batcher.add(row_of(1, 20)).has_value());
    const auto cut = batcher.add(row_of(2, 20));
    BOOST_REQUIRE(cut.has_value());
    BOOST_TEST(cut->rows == 1u);
    BOOST_TEST(cut->json == "[" + row_of(1, 20) + "]");
    const auto last = batcher.flush();
    BOOST_REQUIRE(last.has_value());
    BOOST_TEST(ids_in(*last) == (std::vector<std::string>{"2"}));
}

BOOST_AUTO_TEST_CASE(no_batch_ever_passes_max_bytes_or_max_rows) {
    const std::size_t max_bytes = 500;
    const std::size_t max_rows = 7;
    UpsertBatcher batcher(max_rows, max_bytes);
    std::vector<std::string> rows;
    for (int i = 0; i < 200; ++i) rows.push_back(row_of(i, 20 + static_cast<std::size_t>(i % 50)));
    const auto batches = batch_all(batcher, rows);
    std::size_t total = 0;
    for (const auto& batch : batches) {
        BOOST_TEST(batch.json.size() <= max_bytes);
        BOOST_TEST(batch.rows <= max_rows);
        BOOST_TEST(ids_in(batch).size() == batch.rows);
        total += batch.rows;
    }
    BOOST_TEST(total == rows.size());
}

BOOST_AUTO_TEST_CASE(a_row_larger_than_max_bytes_goes_alone_in_its_own_batch) {
    UpsertBatcher batcher(100, 50);
    BOOST_TEST(batcher.oversized(49));
    BOOST_TEST(!batcher.oversized(48));
    BOOST_TEST(!batcher.add(row_of(1, 20)).has_value());
    const auto before = batcher.add(row_of(2, 80));  // cuts the batch before it
    BOOST_REQUIRE(before.has_value());
    BOOST_TEST(ids_in(*before) == (std::vector<std::string>{"1"}));
    const auto big = batcher.add(row_of(3, 20));  // the big row is cut before the next one
    BOOST_REQUIRE(big.has_value());
    BOOST_TEST(big->rows == 1u);
    BOOST_TEST(big->json == "[" + row_of(2, 80) + "]");
    const auto last = batcher.flush();
    BOOST_REQUIRE(last.has_value());
    BOOST_TEST(ids_in(*last) == (std::vector<std::string>{"3"}));
}

BOOST_AUTO_TEST_CASE(an_oversized_first_row_is_flushed_rather_than_dropped) {
    UpsertBatcher batcher(100, 10);
    BOOST_TEST(!batcher.add(row_of(1, 30)).has_value());
    const auto last = batcher.flush();
    BOOST_REQUIRE(last.has_value());
    BOOST_TEST(ids_in(*last) == (std::vector<std::string>{"1"}));
}

BOOST_AUTO_TEST_CASE(one_row_batches_are_sent_on_every_add) {
    UpsertBatcher batcher(1, 1 << 20);
    for (int i = 0; i < 3; ++i) {
        const auto batch = batcher.add(row_of(i, 20));
        BOOST_REQUIRE(batch.has_value());
        BOOST_TEST(ids_in(*batch) == (std::vector<std::string>{std::to_string(i)}));
    }
    BOOST_TEST(!batcher.flush().has_value());
}

BOOST_AUTO_TEST_CASE(flush_of_an_empty_batcher_gives_nothing_and_can_be_repeated) {
    UpsertBatcher batcher(5, 1000);
    BOOST_TEST(!batcher.flush().has_value());
    BOOST_TEST(!batcher.add(row_of(1, 20)).has_value());
    BOOST_TEST(batcher.flush().has_value());
    BOOST_TEST(!batcher.flush().has_value());
}

BOOST_AUTO_TEST_CASE(a_batch_size_of_zero_rows_is_refused) {
    BOOST_CHECK_THROW(UpsertBatcher(0, 1000), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(a_recycled_batch_text_is_reused_by_the_next_batch_and_holds_only_its_rows) {
    UpsertBatcher batcher(2, 1 << 20);
    BOOST_TEST(!batcher.add(row_of(1, 100)).has_value());
    auto first = batcher.add(row_of(2, 100));
    BOOST_TEST_REQUIRE(first.has_value());
    const char* memory = first->json.data();
    batcher.recycle(std::move(first->json));

    BOOST_TEST(!batcher.add(row_of(3, 50)).has_value());
    auto second = batcher.flush();
    BOOST_TEST_REQUIRE(second.has_value());
    BOOST_TEST(second->json.data() == memory);
    BOOST_TEST(second->json == "[" + row_of(3, 50) + "]");
    BOOST_TEST(second->rows == 1u);
    BOOST_TEST(second->row_starts == std::vector<std::size_t>{1});
}

BOOST_AUTO_TEST_CASE(the_row_past_max_bytes_waits_so_the_next_batch_can_reuse_the_cut_one) {
    // The next batch is begun only when a row comes after the one that did not fit: a caller
    // that hands the cut batch on, has it sent and recycles its text before that, gets the same
    // buffer back instead of a second one held meanwhile.
    UpsertBatcher batcher(10, 100);
    const auto write = [](const std::string& row) {
        return [row](std::string& out) { out += row; };
    };
    BOOST_TEST(!batcher.add_written("job-1", write(row_of(1, 40))).ready.has_value());
    BOOST_TEST(!batcher.add_written("job-2", write(row_of(2, 40))).ready.has_value());
    auto added = batcher.add_written("job-3", write(row_of(3, 40)), 7);
    BOOST_TEST_REQUIRE(added.ready.has_value());
    BOOST_TEST(added.ready->sequence == 1u);
    BOOST_TEST(added.batch == 2u);  // job-3 is in the next batch
    BOOST_TEST(batcher.filling_batch() == 2u);
    BOOST_TEST(batcher.pending_rows() == 1u);
    const char* memory = added.ready->json.data();
    batcher.recycle(std::move(added.ready->json));

    BOOST_TEST(batcher.add_written("job-4", write(row_of(4, 40))).batch == 2u);
    auto second = batcher.flush();
    BOOST_TEST_REQUIRE(second.has_value());
    BOOST_TEST(second->json.data() == memory);
    BOOST_TEST(second->json == "[" + row_of(3, 40) + "," + row_of(4, 40) + "]");
    BOOST_TEST(second->sequence == 2u);
    BOOST_TEST(second->after == 7u);  // the carried row's wait holds for its batch
    BOOST_TEST(second->job_ids == (std::vector<std::string>{"job-3", "job-4"}),
               boost::test_tools::per_element());
    BOOST_TEST(second->row_starts == (std::vector<std::size_t>{1, 42}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_row_waiting_for_its_batch_is_flushed_alone) {
    UpsertBatcher batcher(10, 100);
    BOOST_TEST(!batcher.add(row_of(1, 60), "job-1").has_value());
    auto cut = batcher.add(row_of(2, 60), "job-2");
    BOOST_TEST_REQUIRE(cut.has_value());
    BOOST_TEST(cut->json == "[" + row_of(1, 60) + "]");
    auto last = batcher.flush();
    BOOST_TEST_REQUIRE(last.has_value());
    BOOST_TEST(last->json == "[" + row_of(2, 60) + "]");
    BOOST_TEST(last->job_ids == (std::vector<std::string>{"job-2"}),
               boost::test_tools::per_element());
    BOOST_TEST(batcher.pending_rows() == 0u);
    BOOST_TEST(!batcher.flush().has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(batch_splitting)

using jobsync::sync::slice_batch;
using jobsync::sync::split_batch;

UpsertBatch five_rows() {
    UpsertBatcher batcher(10, 1 << 20);
    for (int i = 0; i < 5; ++i)
        batcher.add(row_of(i, 20 + static_cast<std::size_t>(i)), "job-" + std::to_string(i));
    return *batcher.flush();
}

BOOST_AUTO_TEST_CASE(a_batch_keeps_where_each_row_starts_and_its_job_id) {
    const UpsertBatch batch = five_rows();
    BOOST_TEST_REQUIRE(batch.row_starts.size() == 5u);
    BOOST_TEST_REQUIRE(batch.job_ids.size() == 5u);
    for (std::size_t i = 0; i < 5; ++i) {
        BOOST_TEST(batch.json[batch.row_starts[i]] == '{');
        BOOST_TEST(batch.job_ids[i] == "job-" + std::to_string(i));
    }
}

BOOST_AUTO_TEST_CASE(a_row_written_in_place_past_max_bytes_starts_the_next_batch_whole) {
    // Rows of 40 bytes; a batch of two is 83 bytes, of three 124: the third row is written
    // into the first batch's text, then moved to a batch of its own.
    UpsertBatcher batcher(10, 100);
    std::vector<UpsertBatch> batches;
    for (int id = 1; id <= 4; ++id) {
        const std::string row = row_of(id, 40);
        auto added =
            batcher.add_written("job-" + std::to_string(id), [&](std::string& out) { out += row; });
        BOOST_TEST(added.row_bytes == 40u);
        if (added.ready) batches.push_back(std::move(*added.ready));
    }
    if (auto last = batcher.flush()) batches.push_back(std::move(*last));
    BOOST_TEST_REQUIRE(batches.size() == 2u);
    for (std::size_t b = 0; b < 2; ++b) {
        const int first = 1 + 2 * static_cast<int>(b);
        BOOST_TEST(batches[b].json == "[" + row_of(first, 40) + "," + row_of(first + 1, 40) + "]");
        BOOST_TEST(batches[b].rows == 2u);
        BOOST_TEST_REQUIRE(batches[b].row_starts.size() == 2u);
        BOOST_TEST(batches[b].row_starts[0] == 1u);
        BOOST_TEST(batches[b].row_starts[1] == 42u);
        BOOST_TEST(batches[b].job_ids[0] == "job-" + std::to_string(first));
        BOOST_TEST(batches[b].job_ids[1] == "job-" + std::to_string(first + 1));
    }
}

BOOST_AUTO_TEST_CASE(a_row_writer_that_throws_leaves_the_batch_as_it_was) {
    UpsertBatcher batcher(10, 1 << 20);
    BOOST_TEST(!batcher.add(row_of(1, 20)).has_value());
    auto failing = [](std::string& out) {
        out += "{\"id\":\"half";
        throw std::runtime_error("encoding failed");
    };
    BOOST_CHECK_THROW(batcher.add_written("job-2", failing), std::runtime_error);
    BOOST_TEST(!batcher.add(row_of(3, 20)).has_value());
    const auto batch = batcher.flush();
    BOOST_TEST_REQUIRE(batch.has_value());
    BOOST_TEST(batch->json == "[" + row_of(1, 20) + "," + row_of(3, 20) + "]");
    BOOST_TEST(batch->rows == 2u);
    BOOST_TEST(ids_in(*batch) == (std::vector<std::string>{"1", "3"}));

    UpsertBatcher empty(10, 1 << 20);
    BOOST_CHECK_THROW(empty.add_written("job-1", failing), std::runtime_error);
    BOOST_TEST(!empty.flush().has_value());
}

BOOST_AUTO_TEST_CASE(halves_are_valid_json_arrays_of_the_same_rows_without_reencoding) {
    const UpsertBatch batch = five_rows();
    const auto [first, second] = split_batch(batch);
    BOOST_TEST(first.rows == 2u);
    BOOST_TEST(second.rows == 3u);
    BOOST_TEST(ids_in(first) == (std::vector<std::string>{"0", "1"}),
               boost::test_tools::per_element());
    BOOST_TEST(ids_in(second) == (std::vector<std::string>{"2", "3", "4"}),
               boost::test_tools::per_element());
    BOOST_TEST(first.job_ids == (std::vector<std::string>{"job-0", "job-1"}),
               boost::test_tools::per_element());
    // The halves' text is the batch's text, cut at the comma between rows 1 and 2.
    BOOST_TEST(first.json.size() + second.json.size() == batch.json.size() + 1);
    // And they split again, down to single rows.
    const auto [a, b] = split_batch(second);
    const auto [c, d] = split_batch(b);
    BOOST_TEST(ids_in(a) == (std::vector<std::string>{"2"}), boost::test_tools::per_element());
    BOOST_TEST(ids_in(c) == (std::vector<std::string>{"3"}), boost::test_tools::per_element());
    BOOST_TEST(ids_in(d) == (std::vector<std::string>{"4"}), boost::test_tools::per_element());
    BOOST_TEST(d.job_ids.front() == "job-4");
    BOOST_TEST(d.json[d.row_starts[0]] == '{');
}

BOOST_AUTO_TEST_CASE(a_single_row_does_not_split_and_slices_stay_inside_the_batch) {
    const UpsertBatch batch = five_rows();
    BOOST_CHECK_THROW(split_batch(slice_batch(batch, 4, 1)), std::out_of_range);
    BOOST_CHECK_THROW(slice_batch(batch, 3, 3), std::out_of_range);
    BOOST_CHECK_THROW(slice_batch(batch, 0, 0), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(shrinking_lowers_the_limits_of_later_batches_only) {
    UpsertBatcher batcher(4, 1 << 20);
    batcher.add(row_of(0, 20));
    batcher.shrink(2, 1 << 30);
    BOOST_TEST(batcher.max_rows() == 2u);
    BOOST_TEST(batcher.max_bytes() == std::size_t{1 << 20});  // never raised
    const auto full = batcher.add(row_of(1, 20));
    BOOST_TEST_REQUIRE(full.has_value());
    BOOST_TEST(full->rows == 2u);
    batcher.shrink(0, 100);
    BOOST_TEST(batcher.max_rows() == 1u);
    BOOST_TEST(batcher.max_bytes() == 100u);
}

BOOST_AUTO_TEST_SUITE_END()
