#include "sync/batcher.hpp"

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

std::optional<UpsertBatch> UpsertBatcher::add(std::string_view encoded_row_json) {
    std::optional<UpsertBatch> ready;
    // Size once this row and the closing "]" are in: current text + "," + row + "]".
    if (pending_.rows > 0 && pending_.json.size() + 1 + encoded_row_json.size() + 1 > max_bytes_) {
        ready = take();
    }
    pending_.json += pending_.rows == 0 ? '[' : ',';
    pending_.json += encoded_row_json;
    ++pending_.rows;
    // A batch full by rows goes at once. This never overwrites a batch cut above: that cut
    // needs a row pending before this one, so max_rows > 1, and this row now stands alone.
    if (pending_.rows >= max_rows_) ready = take();
    return ready;
}

std::optional<UpsertBatch> UpsertBatcher::flush() {
    if (pending_.rows == 0) return std::nullopt;
    return take();
}

UpsertBatch UpsertBatcher::take() {
    UpsertBatch batch = std::move(pending_);
    batch.json += ']';
    pending_ = UpsertBatch{};
    return batch;
}

}  // namespace jobsync::sync
