#include <memory>
#include <string>
#include <utility>

#include "http/buffer_pool.hpp"
#include "http/transport.hpp"

namespace jobsync::http {

namespace {

// Owns a body's text; hands the buffer to the pool when the last holder lets go.
struct PooledText {
    std::string text;

    explicit PooledText(std::string value) : text(std::move(value)) {}
    PooledText(const PooledText&) = delete;
    PooledText& operator=(const PooledText&) = delete;
    PooledText(PooledText&&) = delete;
    PooledText& operator=(PooledText&&) = delete;
    ~PooledText() { body_buffers().give(std::move(text)); }
};

}  // namespace

Body::Body(std::string text) {
    auto owner = std::make_shared<PooledText>(std::move(text));
    // Aliasing: the pointer is the text, the ownership the holder's.
    text_ = std::shared_ptr<const std::string>(owner, &owner->text);
}

}  // namespace jobsync::http
