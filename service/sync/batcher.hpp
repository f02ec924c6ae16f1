// Cuts a stream of encoded rows into upsert batches (pure: no I/O, no logging).
//
// A batch is the JSON array "[" + rows joined by "," + "]". It is cut before it would hold
// more than `max_rows` rows or its text would pass `max_bytes` (large upserts hit Supabase's
// statement timeout). A row too big for `max_bytes` on its own still goes, alone in its own
// batch: dropping a job silently would be worse than one large request. Memory is bounded by
// one batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ports/ports.hpp"

namespace jobsync::sync {

class UpsertBatcher {
  public:
    // Throws std::invalid_argument when max_rows is 0.
    UpsertBatcher(std::size_t max_rows, std::size_t max_bytes);

    // Adds one encoded JSON object (and its job_id, kept for reports). Returns a complete batch
    // to send when this row filled the current batch to max_rows, or when it did not fit and
    // the batch before it was cut.
    std::optional<UpsertBatch> add(std::string_view encoded_row_json, std::string_view job_id = {});

    // Writes a row straight into the batch's text: `write` appends one encoded JSON object to
    // the string it is given (and nothing else). Same cuts as add(); the row is copied only when
    // it starts a new batch, i.e. once a batch. `row_bytes` is the encoded row's size.
    // `after`: the batch holding the row is sent only once batches 1..after were answered
    // (UpsertBatch::after). `batch` is the number of the batch the row went into.
    struct Added {
        std::optional<UpsertBatch> ready;
        std::size_t row_bytes = 0;
        std::uint32_t batch = 0;
    };
    using RowWriter = std::function<void(std::string& out)>;
    Added add_written(std::string_view job_id, const RowWriter& write, std::uint32_t after = 0);

    // The number the batch being filled will carry (batches are numbered 1 up as they are cut).
    std::uint32_t filling_batch() const { return taken_ + 1; }

    // The remaining rows as a last batch; nullopt when there are none.
    std::optional<UpsertBatch> flush();

    // True when a row of `row_bytes` alone makes a batch larger than max_bytes.
    bool oversized(std::size_t row_bytes) const;

    std::size_t pending_rows() const { return pending_.rows + (carry_.waiting ? 1 : 0); }
    std::size_t max_rows() const { return max_rows_; }
    std::size_t max_bytes() const { return max_bytes_; }

    // Takes back a sent batch's text, whose buffer the next batch reuses (at most a few are
    // kept): a batch is about 1 MiB, and reusing it spares the allocator and the kernel a fresh
    // megabyte per batch.
    void recycle(std::string&& json);

    // Lowers the limits for the batches still to come (never raises them; 0 rows counts as 1).
    // The batch being filled keeps its rows: the sender splits it if needed.
    void shrink(std::size_t max_rows, std::size_t max_bytes);

  private:
    UpsertBatch take();
    void begin_batch();

    std::size_t max_rows_;
    std::size_t max_bytes_;
    UpsertBatch pending_;  // json holds "[" + rows joined by ",", without the closing "]"
    // A row that did not fit the batch just cut: the first of the next one, which is begun
    // only when a row comes after it or at flush().
    struct Carried {
        std::string json;
        std::string job_id;
        std::uint32_t after = 0;
        bool waiting = false;
    } carry_;
    std::uint32_t taken_ = 0;         // batches cut so far
    std::vector<std::string> spare_;  // texts of sent batches, for reuse
};

// Rows [first, first + count) of `batch` as a batch of their own, cut from its text: no row is
// re-encoded. Throws std::out_of_range when the range is not inside the batch.
UpsertBatch slice_batch(const UpsertBatch& batch, std::size_t first, std::size_t count);

// The two halves of a batch of two or more rows (the first holds rows / 2).
std::pair<UpsertBatch, UpsertBatch> split_batch(const UpsertBatch& batch);

}  // namespace jobsync::sync
