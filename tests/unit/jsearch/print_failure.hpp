// Lets Boost.Test print sync::Failure in failed assertions (sync::to_string lives in the sync
// library, which unit-jsearch does not link).
#pragma once

#include <ostream>

#include "ports/ports.hpp"

namespace jobsync::sync {

inline std::ostream& operator<<(std::ostream& out, Failure failure) {
    switch (failure) {
        case Failure::none:
            return out << "none";
        case Failure::transient:
            return out << "transient";
        case Failure::bad_response:
            return out << "bad_response";
        case Failure::rejected:
            return out << "rejected";
        case Failure::auth:
            return out << "auth";
        case Failure::quota:
            return out << "quota";
        case Failure::statement_timeout:
            return out << "statement_timeout";
        case Failure::deadline:
            return out << "deadline";
        case Failure::cancelled:
            return out << "cancelled";
        case Failure::tls:
            return out << "tls";
    }
    return out << "Failure(" << static_cast<int>(failure) << ")";
}

}  // namespace jobsync::sync
