// A diagnostic for `make bench` (`--whole-bodies`): an HTTP/1.1 relay on 127.0.0.1 between
// job-sync and the JSearch stand-in that reads each answer whole and writes it on in one piece.
//
// The stand-in answers through cpprestsdk's listener, which writes a body 4 KiB at a time (a
// constant in its http_server_asio.cpp), so a 500 KB page reaches job-sync as about 120
// segments. Run through the relay, the same scenario shows what job-sync's CPU costs when a
// body arrives in large pieces instead; the difference is the cost of being woken per piece.
// Each connection job-sync opens gets one connection to the stand-in (keep-alive both ways).
// Answers must carry a Content-Length (the listener's do); a chunked one closes the connection.
#pragma once

#include <memory>
#include <string>

namespace jobsync::testing {
class RawServer;
}

namespace jobsync::bench {

class WholeBodyRelay {
  public:
    // `upstream`: the stand-in's base URL, "http://127.0.0.1:<port>".
    explicit WholeBodyRelay(const std::string& upstream);
    ~WholeBodyRelay();
    WholeBodyRelay(const WholeBodyRelay&) = delete;
    WholeBodyRelay& operator=(const WholeBodyRelay&) = delete;

    std::string base_url() const;

  private:
    std::unique_ptr<testing::RawServer> server_;
};

}  // namespace jobsync::bench
