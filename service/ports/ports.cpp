#include "ports/ports.hpp"

namespace jobsync::sync {

std::string_view to_string(Failure failure) {
    switch (failure) {
        case Failure::none:
            return "none";
        case Failure::transient:
            return "transient";
        case Failure::bad_response:
            return "bad_response";
        case Failure::rejected:
            return "rejected";
        case Failure::auth:
            return "auth";
        case Failure::quota:
            return "quota";
        case Failure::statement_timeout:
            return "statement_timeout";
        case Failure::deadline:
            return "deadline";
        case Failure::cancelled:
            return "cancelled";
        case Failure::tls:
            return "tls";
    }
    return "unknown";
}

}  // namespace jobsync::sync
