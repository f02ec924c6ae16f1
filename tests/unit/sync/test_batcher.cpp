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

BOOST_AUTO_TEST_SUITE_END()
