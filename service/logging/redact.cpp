#include "logging/redact.hpp"

#include <algorithm>
#include <mutex>
#include <vector>

namespace jobsync::logging {

namespace {

struct SecretRegistry {
    std::mutex mutex;
    std::vector<std::string> values;  // longest first
};

SecretRegistry& registry() {
    static SecretRegistry instance;
    return instance;
}

std::string_view to_view(const spdlog::memory_buf_t& buffer) {
    return {buffer.data(), buffer.size()};
}

}  // namespace

void register_secret(std::string value) {
    if (value.empty()) return;
    auto& reg = registry();
    std::lock_guard<std::mutex> lock(reg.mutex);
    if (std::find(reg.values.begin(), reg.values.end(), value) != reg.values.end()) return;
    reg.values.push_back(std::move(value));
    std::stable_sort(
        reg.values.begin(), reg.values.end(),
        [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
}

void clear_secrets() {
    auto& reg = registry();
    std::lock_guard<std::mutex> lock(reg.mutex);
    reg.values.clear();
}

std::string redact_value(std::string text, std::string_view secret) {
    if (secret.empty()) return text;
    for (auto at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + kRedacted.size())) {
        text.replace(at, secret.size(), kRedacted);
    }
    return text;
}

std::string redact(std::string_view text) {
    std::string result(text);
    auto& reg = registry();
    std::lock_guard<std::mutex> lock(reg.mutex);
    for (const auto& secret : reg.values) result = redact_value(std::move(result), secret);
    return result;
}

RedactingFormatter::RedactingFormatter(std::unique_ptr<spdlog::formatter> inner)
    : inner_(std::move(inner)) {}

void RedactingFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
    const std::string payload = redact({msg.payload.data(), msg.payload.size()});
    spdlog::details::log_msg redacted = msg;
    redacted.payload = spdlog::string_view_t(payload.data(), payload.size());
    spdlog::memory_buf_t line;
    inner_->format(redacted, line);
    const std::string clean = redact(to_view(line));
    dest.append(clean.data(), clean.data() + clean.size());
}

std::unique_ptr<spdlog::formatter> RedactingFormatter::clone() const {
    return std::make_unique<RedactingFormatter>(inner_->clone());
}

}  // namespace jobsync::logging
