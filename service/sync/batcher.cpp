#include "sync/batcher.hpp"

#include <algorithm>
#include <cstddef>
#include <stdexcept>
#include <utility>

namespace jobsync::sync {

UpsertBatcher::UpsertBatcher(std::size_t max_rows, std::size_t max_bytes)
    : max_rows_(max_rows), max_bytes_(max_bytes) {
    if (max_rows_ == 0) throw std::invalid_argument("batch size must be at least 1 row");
}

bool UpsertBatcher::oversized(std::size_t row_bytes) const {
    return row_bytes + 2 > max_bytes_;  // "[" + row + "]"
}

void UpsertBatcher::shrink(std::size_t max_rows, std::size_t max_bytes) {
    max_rows_ = std::max<std::size_t>(1, std::min(max_rows_, max_rows));
    max_bytes_ = std::min(max_bytes_, max_bytes);
}

std::optional<UpsertBatch> UpsertBatcher::add(std::string_view encoded_row_json,
                                              std::string_view job_id) {
    return add_written(job_id, [&](std::string& out) { out += encoded_row_json; }).ready;
}

UpsertBatcher::Added UpsertBatcher::add_written(std::string_view job_id, const RowWriter& write,
                                                std::uint32_t after) {
    Added added;
    if (pending_.rows == 0) begin_batch();
    if (pending_.rows > 0) pending_.json += ',';
    std::size_t start = pending_.json.size();
    try {
        write(pending_.json);
    } catch (...) {
        // The batch stays as it was, without the ',' or a partly written row.
        pending_.json.resize(pending_.rows > 0 ? start - 1 : start);
        throw;
    }
    added.row_bytes = pending_.json.size() - start;
    // Too big for this batch once the closing "]" is in: the batch is cut before the row, which
    // moves to a new one. Only a batch with rows before this one is cut.
    if (pending_.rows > 0 && pending_.json.size() + 1 > max_bytes_) {
        // The row waits, alone, for the next batch, which starts with the next row or flush():
        // not now, so that its buffer is not taken while the caller still hands this one on
        // (and may wait for the upsert queue to have room): one batch less in memory.
        carry_.json.assign(pending_.json, start, added.row_bytes);
        carry_.job_id.assign(job_id);
        carry_.after = after;
        carry_.waiting = true;
        pending_.json.resize(start - 1);  // without the ',' and the row
        added.ready = take();
        added.batch = filling_batch();
        return added;
    }
    pending_.row_starts.push_back(start);
    pending_.job_ids.emplace_back(job_id);
    ++pending_.rows;
    pending_.after = std::max(pending_.after, after);
    added.batch = filling_batch();
    // A batch full by rows goes at once. This never overwrites a batch cut above: that cut
    // needs a row pending before this one, so max_rows > 1, and this row now stands alone.
    if (pending_.rows >= max_rows_) added.ready = take();
    return added;
}

void UpsertBatcher::begin_batch() {
    // One allocation for the batch instead of a dozen doublings, each copying the text:
    // batches are cut at max_bytes_, so most come close to it. The slack holds the row that
    // passes the limit, written before the cut (reserved, not touched: costs no memory).
    constexpr std::size_t kMostReserved = std::size_t{8} * 1024 * 1024;
    constexpr std::size_t kSlack = std::size_t{256} * 1024;
    if (!spare_.empty()) {
        pending_.json = std::move(spare_.back());
        spare_.pop_back();
        pending_.json.clear();
    }
    pending_.json.reserve(std::min(max_bytes_, kMostReserved) + kSlack);
    pending_.row_starts.reserve(std::min<std::size_t>(max_rows_, 10000));
    pending_.job_ids.reserve(std::min<std::size_t>(max_rows_, 10000));
    pending_.json += '[';
    if (carry_.waiting) {
        carry_.waiting = false;
        pending_.row_starts.push_back(pending_.json.size());
        pending_.json += carry_.json;
        pending_.job_ids.emplace_back(carry_.job_id);
        pending_.rows = 1;
        pending_.after = carry_.after;
    }
}

void UpsertBatcher::recycle(std::string&& json) {
    // Enough for the batches in flight at once (one filling, the queue, the senders).
    constexpr std::size_t kMostSpare = 8;
    std::string text = std::move(json);
    constexpr std::size_t kLeast = 4096;  // not worth keeping: moved-from or tiny
    if (spare_.size() < kMostSpare && text.capacity() >= kLeast) spare_.push_back(std::move(text));
}

std::optional<UpsertBatch> UpsertBatcher::flush() {
    if (pending_.rows == 0 && carry_.waiting) begin_batch();
    if (pending_.rows == 0) return std::nullopt;
    return take();
}

UpsertBatch UpsertBatcher::take() {
    UpsertBatch batch = std::move(pending_);
    batch.json += ']';
    batch.sequence = ++taken_;
    pending_ = UpsertBatch{};
    return batch;
}

UpsertBatch slice_batch(const UpsertBatch& batch, std::size_t first, std::size_t count) {
    if (count == 0 || first + count > batch.rows || batch.row_starts.size() != batch.rows ||
        batch.json.size() < 2) {
        throw std::out_of_range("slice_batch: rows outside the batch");
    }
    const std::size_t last = first + count - 1;
    // A row ends at the ',' before the next row, or at the closing ']'.
    const std::size_t begin = batch.row_starts[first];
    const std::size_t end =
        last + 1 < batch.rows ? batch.row_starts[last + 1] - 1 : batch.json.size() - 1;
    UpsertBatch slice;
    slice.rows = count;
    slice.json.reserve(end - begin + 2);
    slice.json += '[';
    for (std::size_t row = first; row <= last; ++row) {
        slice.row_starts.push_back(batch.row_starts[row] - begin + 1);
    }
    slice.json.append(batch.json, begin, end - begin);
    slice.json += ']';
    if (batch.job_ids.size() == batch.rows) {
        slice.job_ids.assign(batch.job_ids.begin() + static_cast<std::ptrdiff_t>(first),
                             batch.job_ids.begin() + static_cast<std::ptrdiff_t>(last + 1));
    }
    return slice;
}

std::pair<UpsertBatch, UpsertBatch> split_batch(const UpsertBatch& batch) {
    if (batch.rows < 2) throw std::out_of_range("split_batch: a batch of one row cannot split");
    const std::size_t half = batch.rows / 2;
    return {slice_batch(batch, 0, half), slice_batch(batch, half, batch.rows - half)};
}

}  // namespace jobsync::sync
