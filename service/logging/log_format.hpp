// How log lines are written: text for people, one JSON object a line for log collectors.
// Its own header so that the settings can name it without pulling in spdlog.
#pragma once

namespace jobsync::logging {

enum class LogFormat { text, json };

}  // namespace jobsync::logging
