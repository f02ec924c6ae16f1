// Where a key may be sent (pure): over https://, or over http:// only to this machine, and
// never with credentials inside the URL (they would be logged and sent to every hop).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jobsync::config {

// localhost, 127.0.0.0/8 (dotted quad) or ::1 (bracketed in a URL, or bare).
bool is_loopback_host(std::string_view host);

// The problem with sending a key to `url` (an http(s) URL already checked for form), naming
// the setting; nullopt when it is fine. Never quotes the URL's user or password.
std::optional<std::string> key_url_problem(std::string_view name, std::string_view url);

}  // namespace jobsync::config
