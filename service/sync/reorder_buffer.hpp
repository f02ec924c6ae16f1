// Releases items produced out of order by concurrent workers in sequence order: all items of
// sequence 0 (in the order they were pushed), then of sequence 1, and so on. Each sequence is
// produced by one worker, in order, and ends with an item marked last. Pure and single-threaded:
// the caller locks. Bounded: items of sequences after the one being released are held only
// while fewer than `capacity` are; the head sequence is always accepted, so the worker the
// consumer waits for can never be blocked by the others.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace jobsync::sync {

template <typename T>
class ReorderBuffer {
  public:
    ReorderBuffer(std::size_t sequences, std::size_t capacity)
        : sequences_(sequences), capacity_(capacity) {}

    bool can_accept(std::size_t sequence) const { return sequence == head_ || held_ < capacity_; }

    void push(std::size_t sequence, T item, bool last) {
        if (sequence < head_ || sequence >= sequences_) {
            throw std::logic_error("reorder buffer: item for a released or unknown sequence");
        }
        pending_[sequence].push_back(Entry{std::move(item), last});
        ++held_;
    }

    // The next item in order, when it has arrived; advances past a sequence's last item.
    std::optional<T> pop() {
        auto found = pending_.find(head_);
        if (found == pending_.end() || found->second.empty()) return std::nullopt;
        Entry entry = std::move(found->second.front());
        found->second.pop_front();
        --held_;
        if (entry.last) {
            pending_.erase(found);
            ++head_;
        }
        return std::move(entry.item);
    }

    // Everything still held, in sequence order (for a consumer that stopped early).
    std::vector<T> drain() {
        std::vector<T> items;
        for (auto& [sequence, entries] : pending_) {
            for (auto& entry : entries) items.push_back(std::move(entry.item));
        }
        pending_.clear();
        held_ = 0;
        return items;
    }

    bool done() const { return head_ >= sequences_; }
    std::size_t head() const { return head_; }
    std::size_t held() const { return held_; }

  private:
    struct Entry {
        T item;
        bool last = false;
    };
    std::size_t sequences_;
    std::size_t capacity_;
    std::size_t head_ = 0;
    std::size_t held_ = 0;
    std::map<std::size_t, std::deque<Entry>> pending_;
};

}  // namespace jobsync::sync
