#include "output/report.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <stdexcept>

#include "sync/runner.hpp"
#include "text/timestamps.hpp"

namespace jobsync::output {

std::string render_report(const RunRecord& record, const std::string& version) {
    rapidjson::Document summary;
    summary.Parse(sync::render_json(record.summary).c_str());
    if (summary.HasParseError() || !summary.IsObject()) {
        throw std::logic_error("render_json did not give a JSON object");
    }
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
    const auto text = [&w](const char* key, const std::string& value) {
        w.Key(key);
        w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
    };
    w.StartObject();
    text("job_sync_version", version);
    text("started_at", text::format_iso8601_millis(record.started_at));
    text("finished_at", text::format_iso8601_millis(record.finished_at));
    for (const auto& member : summary.GetObject()) {
        const std::string_view key(member.name.GetString(), member.name.GetStringLength());
        w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
        if (key == "exit_code") {
            w.Int(record.exit_code);  // the process's, which may differ from the summary's view
        } else {
            member.value.Accept(w);
        }
    }
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

}  // namespace jobsync::output
