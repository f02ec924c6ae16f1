// Floor (a), the client's physical floor: RapidJSON alone parsing the /search pages job-sync
// receives and writing the upsert bodies it sends (the same columns, jobs::kSyncColumns, in
// batches cut like the service's). Only that work is timed, on this thread's CPU clock; no
// HTTP, no logging, no field validation beyond UTF-8, which the parser checks once.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>

namespace jobsync::bench {

struct ClientFloor {
    double cpu_seconds = 0;
    std::size_t rows = 0;
    std::size_t batches = 0;
    std::size_t body_bytes = 0;  // upsert bodies written
    std::size_t page_bytes = 0;  // response bodies parsed
};

class ClientFloorMeter {
  public:
    // `copy_rows` receives the same rows in PostgreSQL's COPY text format, written outside the
    // timed part, for floor (b).
    ClientFloorMeter(std::string last_seen, std::ostream& copy_rows);

    void take_page(const std::string& body);  // parse one response, write its rows
    ClientFloor finish();                     // sends (counts) the last partial batch

  private:
    std::string last_seen_;
    std::ostream& copy_rows_;
    std::string batch_;
    std::size_t batch_rows_ = 0;
    ClientFloor floor_;
};

}  // namespace jobsync::bench
