#include "logging/event.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>

namespace jobsync::logging {

namespace {

// Loggers here are synchronous: the formatter runs on the thread that logs, while this is set.
thread_local const Event* tls_event = nullptr;

struct RunFields {
    std::mutex mutex;
    Fields fields;
};

RunFields& run_field_store() {
    static RunFields store;
    return store;
}

}  // namespace

const Event* current_event() { return tls_event; }

void log_event(spdlog::level::level_enum level, std::string_view name, const Fields& fields,
               std::string_view message) {
    const Event event{name, &fields};
    tls_event = &event;
    try {
        spdlog::default_logger_raw()->log(level,
                                          spdlog::string_view_t(message.data(), message.size()));
    } catch (...) {
        tls_event = nullptr;
        throw;
    }
    tls_event = nullptr;
}

void set_run_field(std::string key, FieldValue value) {
    auto& store = run_field_store();
    std::lock_guard<std::mutex> lock(store.mutex);
    auto found = std::find_if(store.fields.begin(), store.fields.end(),
                              [&key](const Field& field) { return field.key == key; });
    if (found != store.fields.end()) {
        found->value = std::move(value);
    } else {
        store.fields.push_back(Field{std::move(key), std::move(value)});
    }
}

Fields run_fields() {
    auto& store = run_field_store();
    std::lock_guard<std::mutex> lock(store.mutex);
    return store.fields;
}

void clear_run_fields() {
    auto& store = run_field_store();
    std::lock_guard<std::mutex> lock(store.mutex);
    store.fields.clear();
}

}  // namespace jobsync::logging
