#include <memory>
#include <string>
#include <utility>

#include "http/buffer_pool.hpp"
#include "http/transport.hpp"

namespace jobsync::http {

namespace detail {

// Owns a body's text; hands the buffer to the pool when the last holder lets go.
struct BodyText {
    std::string text;

    explicit BodyText(std::string value) : text(std::move(value)) {}
    BodyText(const BodyText&) = delete;
    BodyText& operator=(const BodyText&) = delete;
    BodyText(BodyText&&) = delete;
    BodyText& operator=(BodyText&&) = delete;
    ~BodyText() { body_buffers().give(std::move(text)); }
};

}  // namespace detail

Body::Body(std::string text) : text_(std::make_shared<detail::BodyText>(std::move(text))) {}

std::string_view Body::view() const {
    return text_ ? std::string_view(text_->text) : std::string_view();
}

std::shared_ptr<const std::string> Body::share() const {
    // Aliasing: the pointer is the text, the ownership the holder's.
    return text_ ? std::shared_ptr<const std::string>(text_, &text_->text) : nullptr;
}

std::string Body::release() && {
    if (!text_) return {};
    // A count of 1 cannot rise behind our back: no one else holds a pointer to copy.
    std::string text = text_.use_count() == 1 ? std::move(text_->text) : text_->text;
    text_.reset();
    return text;
}

}  // namespace jobsync::http
