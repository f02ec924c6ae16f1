// A write-only cpprestsdk stream buffer that keeps at most `cap` bytes. cpprest writes a
// response body into the stream given by set_response_stream and waits for each write before
// reading more from the socket, so refusing a write stops the download: memory stays bounded
// by the cap whatever the server sends. Only cpprest_transport.cpp includes this header.
#pragma once

#include <cpprest/astreambuf.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "http/buffer_pool.hpp"

namespace jobsync::http::detail {

class BodyTooLarge : public std::runtime_error {
  public:
    BodyTooLarge() : std::runtime_error("response body over the size cap") {}
};

class CappedSink final : public concurrency::streams::details::streambuf_state_manager<uint8_t> {
  public:
    explicit CappedSink(std::size_t cap)
        : streambuf_state_manager<uint8_t>(std::ios_base::out), cap_(cap) {}
    ~CappedSink() override {
        this->_close_read();
        this->_close_write();
    }

    std::string take() { return std::move(data_); }
    // The body's announced length (Content-Length): the buffer grows to it in one step instead
    // of doubling (a 760 KB page would end in a 1 MiB buffer after five copies). Safe to call
    // while cpprest writes: a write that comes first just doubles as before.
    void expect(std::size_t bytes) { expected_ = std::min(bytes, cap_); }
    bool overflowed() const { return overflowed_; }
    utility::size64_t size() const override { return 0; }  // has_size() is false

    // Closes at once. When a write fails (the cap), cpprest closes the buffer and waits for the
    // close with get(), on its own pool thread; the inherited close posts a continuation to that
    // pool, so with every pool thread waiting like this (with one, the first) nothing would run
    // it again. Nothing here is asynchronous, so nothing needs posting.
    using streambuf_state_manager<uint8_t>::close;
    pplx::task<void> close(std::ios_base::openmode mode = std::ios_base::in |
                                                          std::ios_base::out) override {
        if ((mode & std::ios_base::in) != 0 && this->can_read()) this->_close_read();
        if ((mode & std::ios_base::out) != 0 && this->can_write()) this->_close_write();
        return pplx::task_from_result();
    }

    bool can_seek() const override { return false; }
    bool has_size() const override { return false; }
    std::size_t buffer_size(std::ios_base::openmode) const override { return 0; }
    void set_buffer_size(std::size_t, std::ios_base::openmode) override {}
    std::size_t in_avail() const override { return 0; }
    pos_type getpos(std::ios_base::openmode) const override { return static_cast<pos_type>(-1); }
    pos_type seekpos(pos_type, std::ios_base::openmode) override {
        return static_cast<pos_type>(-1);
    }
    pos_type seekoff(off_type, std::ios_base::seekdir, std::ios_base::openmode) override {
        return static_cast<pos_type>(-1);
    }
    bool acquire(uint8_t*& ptr, std::size_t& count) override {
        ptr = nullptr;
        count = 0;
        return false;
    }
    void release(uint8_t*, std::size_t) override {}

  protected:
    pplx::task<int_type> _putc(uint8_t ch) override {
        return _putn(&ch, 1).then([ch](std::size_t) { return static_cast<int_type>(ch); });
    }
    pplx::task<std::size_t> _putn(const uint8_t* ptr, std::size_t count) override {
        if (count > cap_ - std::min(cap_, data_.size())) {
            overflowed_ = true;
            // Thrown into cpprest's read loop: it stops reading and fails the response.
            return pplx::task_from_exception<std::size_t>(BodyTooLarge());
        }
        // Grow to the announced length, else by doubling, but never past the cap: the cap
        // bounds the allocation too.
        if (data_.size() + count > data_.capacity()) {
            const std::size_t expected = expected_;
            const std::size_t wanted = expected >= data_.size() + count
                                           ? expected
                                           : std::max(data_.size() + count, 2 * data_.capacity());
            // Preferably a buffer an earlier response has touched already (buffer_pool.hpp).
            std::string grown = body_buffers().take(std::min(cap_, wanted));
            grown.append(data_);
            body_buffers().give(std::move(data_));
            data_ = std::move(grown);
        }
        data_.append(reinterpret_cast<const char*>(ptr), count);
        return pplx::task_from_result(count);
    }
    pplx::task<int_type> _bumpc() override { return pplx::task_from_result(traits::eof()); }
    int_type _sbumpc() override { return traits::eof(); }
    pplx::task<int_type> _getc() override { return pplx::task_from_result(traits::eof()); }
    int_type _sgetc() override { return traits::eof(); }
    pplx::task<int_type> _nextc() override { return pplx::task_from_result(traits::eof()); }
    pplx::task<int_type> _ungetc() override { return pplx::task_from_result(traits::eof()); }
    pplx::task<std::size_t> _getn(uint8_t*, std::size_t) override {
        return pplx::task_from_result<std::size_t>(0);
    }
    std::size_t _scopy(uint8_t*, std::size_t) override { return 0; }
    pplx::task<bool> _sync() override { return pplx::task_from_result(true); }
    uint8_t* _alloc(std::size_t) override { return nullptr; }
    void _commit(std::size_t) override {}

  private:
    const std::size_t cap_;
    std::string data_;
    std::atomic<bool> overflowed_{false};
    std::atomic<std::size_t> expected_{0};
};

}  // namespace jobsync::http::detail
