// A spdlog sink that keeps every formatted line in memory, so tests can assert what was logged
// (after the real formatter, redaction included).
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <mutex>
#include <string>
#include <vector>

namespace jobsync::testing {

class CaptureSink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    std::vector<std::string> lines() {
        std::lock_guard<std::mutex> lock(mutex_);
        return lines_;
    }

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(msg, formatted);
        lines_.emplace_back(formatted.data(), formatted.size());
    }
    void flush_() override {}

  private:
    std::vector<std::string> lines_;  // guarded by base_sink's mutex_
};

}  // namespace jobsync::testing
