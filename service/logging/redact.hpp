// Defence in depth for secrets in logs. The code never logs a key; should one slip into a
// message anyway (an upstream error echoing a header, say), every registered secret value is
// replaced by "***" in every line before it is written.
#pragma once

#include <spdlog/formatter.h>

#include <memory>
#include <string>
#include <string_view>

namespace jobsync::logging {

inline constexpr std::string_view kRedacted = "***";

// Remembers `value` for redaction for the rest of the process. Empty values are ignored.
void register_secret(std::string value);

// Forgets every registered secret (tests).
void clear_secrets();

// `text` with every registered secret replaced by "***" (longest secrets first, so a secret
// that contains another is hidden whole).
std::string redact(std::string_view text);

// `text` with every occurrence of `secret` replaced by "***"; for clients that must not return
// a message holding their key, whatever a server echoed. Empty secrets change nothing.
std::string redact_value(std::string text, std::string_view secret);

// Wraps a formatter: redacts the message before `inner` formats it, so a format that escapes
// the message (JSON) cannot hide a secret from the redaction, and redacts the formatted line
// again for whatever else the format adds.
class RedactingFormatter final : public spdlog::formatter {
  public:
    explicit RedactingFormatter(std::unique_ptr<spdlog::formatter> inner);
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
    std::unique_ptr<spdlog::formatter> clone() const override;

  private:
    std::unique_ptr<spdlog::formatter> inner_;
};

}  // namespace jobsync::logging
