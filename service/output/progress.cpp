#include "output/progress.hpp"

#include <sys/ioctl.h>

#include <ostream>

#include "logging/event.hpp"

namespace jobsync::output {

namespace {

constexpr const char* kEraseLine = "\r\x1b[K";

std::string quoted(const std::string& query) { return "'" + query + "'"; }

}  // namespace

LiveLine::LiveLine(std::ostream& terminal, std::size_t columns)
    : terminal_(terminal), columns_(columns) {}

void LiveLine::show(const std::string& text) {
    std::lock_guard<std::mutex> lock(mutex_);
    text_ = text;
    draw();
}

void LiveLine::clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (drawn_) terminal_ << kEraseLine << std::flush;
    text_.clear();
    drawn_ = false;
}

void LiveLine::hide() {
    if (!drawn_) return;
    terminal_ << kEraseLine << std::flush;
    drawn_ = false;
}

void LiveLine::restore() {
    if (!text_.empty()) draw();
}

void LiveLine::draw() {
    // One column spare: a line that fills the terminal exactly wraps on some terminals.
    terminal_ << kEraseLine << sync::fit_to_columns(text_, columns_ > 1 ? columns_ - 1 : 1)
              << std::flush;
    drawn_ = true;
}

LiveLineAwareSink::LiveLineAwareSink(spdlog::sink_ptr inner, std::shared_ptr<LiveLine> live)
    : inner_(std::move(inner)), live_(std::move(live)) {}

void LiveLineAwareSink::sink_it_(const spdlog::details::log_msg& msg) {
    std::lock_guard<std::mutex> lock(live_->mutex());
    live_->hide();
    inner_->log(msg);
    inner_->flush();
    live_->restore();
}

void LiveLineAwareSink::flush_() { inner_->flush(); }

void LiveLineAwareSink::set_formatter_(std::unique_ptr<spdlog::formatter> formatter) {
    inner_->set_formatter(std::move(formatter));
}

ProgressReporter::ProgressReporter(std::shared_ptr<LiveLine> live, SteadyNow now)
    : live_(std::move(live)), now_(std::move(now)) {
    if (!now_) now_ = [] { return std::chrono::steady_clock::now(); };
}

void ProgressReporter::operator()(const sync::QueryProgress& p) {
    using Stage = sync::QueryProgress::Stage;
    if (p.stage == Stage::started) query_started_ = now_();
    const std::string line = sync::format_progress(p);
    if (p.stage != Stage::finished) {
        if (live_) live_->show(line + " · " + quoted(p.query));
        return;
    }
    const auto duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(now_() - query_started_).count();
    if (live_) live_->clear();
    const logging::Fields fields{
        {"query", p.query},
        {"query_number", static_cast<std::int64_t>(p.query_number)},
        {"queries", static_cast<std::int64_t>(p.query_count)},
        {"page", static_cast<std::int64_t>(p.pages_done)},
        {"pages", static_cast<std::int64_t>(p.pages_planned)},
        {"jobs_fetched", static_cast<std::int64_t>(p.jobs_fetched)},
        {"rows_upserted", static_cast<std::int64_t>(p.rows_upserted)},
        {"retries", static_cast<std::int64_t>(p.retries)},
        {"failed", p.failed},
        {"duration_ms", static_cast<std::int64_t>(duration_ms)},
    };
    logging::log_event(p.failed ? spdlog::level::warn : spdlog::level::info, "query_finished",
                       fields,
                       line + " · " + quoted(p.query) + (p.failed ? " failed" : " done") + " in " +
                           std::to_string(duration_ms) + " ms");
}

std::size_t terminal_columns(int fd) {
    winsize size{};
    if (::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
    return 80;
}

}  // namespace jobsync::output
