// Where a run's progress goes (the figures and their wording are sync/progress.hpp):
//   - always, one `query_finished` log event per query at info level: a plain line in text
//     logs, an object with the figures as fields in JSON logs;
//   - on a terminal with text logs, a live line on stderr updated in place while the query's
//     pages come in, which the query's log line then replaces.
// Log lines written while the live line shows clear it first and draw it again after, so the
// two never garble each other. Nothing here writes to stdout: that is the summary's.
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <string>

#include "sync/progress.hpp"

namespace jobsync::output {

// The one line of a terminal redrawn in place ("\r", the text, erase to end of line).
class LiveLine {
  public:
    LiveLine(std::ostream& terminal, std::size_t columns);
    void show(const std::string& text);
    void clear();  // the line is gone until the next show()
    // For the log sink: clear while a log line is written, then draw the same text again.
    void hide();
    void restore();
    std::mutex& mutex() { return mutex_; }

  private:
    void draw();
    std::ostream& terminal_;
    std::size_t columns_;
    std::string text_;  // empty: nothing shown
    bool drawn_ = false;
    std::mutex mutex_;
};

// A log sink that keeps the live line out of the way of the log lines it forwards to `inner`.
class LiveLineAwareSink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    LiveLineAwareSink(spdlog::sink_ptr inner, std::shared_ptr<LiveLine> live);

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override;
    void flush_() override;
    void set_formatter_(std::unique_ptr<spdlog::formatter> formatter) override;

  private:
    spdlog::sink_ptr inner_;
    std::shared_ptr<LiveLine> live_;
};

using SteadyNow = std::function<std::chrono::steady_clock::time_point()>;

// The runner's progress observer. `live` is null without a terminal.
class ProgressReporter {
  public:
    ProgressReporter(std::shared_ptr<LiveLine> live, SteadyNow now);
    void operator()(const sync::QueryProgress& progress);

  private:
    std::shared_ptr<LiveLine> live_;
    SteadyNow now_;
    std::chrono::steady_clock::time_point query_started_;
};

// The width of the terminal on `fd`, or 80 when it does not say.
std::size_t terminal_columns(int fd);

}  // namespace jobsync::output
