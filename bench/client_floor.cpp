#include "client_floor.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <ctime>
#include <vector>

#include "jobs/job_row.hpp"

namespace jobsync::bench {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// The service's batch limits (sync::RunOptions defaults).
constexpr std::size_t kBatchRows = 200;
constexpr std::size_t kBatchBytes = std::size_t{1024} * 1024;

double thread_cpu_seconds() {
    timespec now{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

const rapidjson::Value* member(const rapidjson::Value& job, std::string_view name) {
    const auto found = job.FindMember(
        rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size())));
    return found == job.MemberEnd() ? nullptr : &found->value;
}

// job_employment_type is the first of job_employment_types, as the service normalises it.
const rapidjson::Value* employment_type(const rapidjson::Value& job) {
    const rapidjson::Value* types = member(job, "job_employment_types");
    if (types == nullptr || !types->IsArray() || types->Empty()) return nullptr;
    return &(*types)[0];
}

// Calls `column(name, value)` for every sync column of `job` in payload order; `value` is
// nullptr for null.
template <typename Column>
void for_each_column(const rapidjson::Value& job, Column&& column) {
    for (std::string_view name : jobs::kSyncColumns) {
        if (name == "is_active" || name == "last_seen") continue;  // the caller's
        const rapidjson::Value* value =
            name == "job_employment_type" ? employment_type(job) : member(job, name);
        column(name, value != nullptr && !value->IsNull() ? value : nullptr);
    }
}

void write_row(Writer& writer, const rapidjson::Value& job, std::string_view last_seen) {
    writer.StartObject();
    for_each_column(job, [&writer](std::string_view name, const rapidjson::Value* value) {
        writer.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
        if (value) {
            value->Accept(writer);
        } else {
            writer.Null();
        }
    });
    writer.Key("is_active");
    writer.Bool(true);
    writer.Key("last_seen");
    writer.String(last_seen.data(), static_cast<rapidjson::SizeType>(last_seen.size()));
    writer.EndObject();
}

void copy_escaped(std::ostream& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
            case '\\':
                out << "\\\\";
                break;
            case '\t':
                out << "\\t";
                break;
            case '\n':
                out << "\\n";
                break;
            case '\r':
                out << "\\r";
                break;
            default:
                out << c;
        }
    }
}

void copy_value(std::ostream& out, const rapidjson::Value* value) {
    if (value == nullptr) {
        out << "\\N";
    } else if (value->IsString()) {
        copy_escaped(out, {value->GetString(), value->GetStringLength()});
    } else {  // numbers, booleans and jsonb columns: their JSON text
        rapidjson::StringBuffer buffer;
        Writer writer(buffer);
        value->Accept(writer);
        copy_escaped(out, {buffer.GetString(), buffer.GetSize()});
    }
}

// The jobs of a parsed page that have a job_id (the service skips the others).
std::vector<const rapidjson::Value*> jobs_of(const rapidjson::Document& page) {
    std::vector<const rapidjson::Value*> jobs;
    if (page.HasParseError() || !page.IsObject()) return jobs;
    const rapidjson::Value* data = member(page, "data");
    if (data == nullptr || !data->IsArray()) return jobs;
    for (const auto& job : data->GetArray()) {
        if (!job.IsObject()) continue;
        const rapidjson::Value* id = member(job, "job_id");
        if (id != nullptr && id->IsString()) jobs.push_back(&job);
    }
    return jobs;
}

// The timed work on one page: parse it, write its rows into the batch. Out of line, so that a
// profiler's inclusive cost of this function is floor (a)'s work alone, without the COPY rows
// take_page writes after it (under callgrind: instructions per pass, noise-free;
// docs/performance.md).
[[gnu::noinline]] void parse_and_write(const std::string& body, rapidjson::Document& page,
                                       std::string_view last_seen, std::string& batch,
                                       std::size_t& batch_rows, ClientFloor& floor) {
    // NUL-terminated, as the service parses.
    page.Parse<rapidjson::kParseValidateEncodingFlag>(body.c_str());
    rapidjson::StringBuffer row;
    for (const rapidjson::Value* job : jobs_of(page)) {
        row.Clear();
        Writer writer(row);
        write_row(writer, *job, last_seen);
        if (batch_rows == kBatchRows || batch.size() + row.GetSize() + 2 > kBatchBytes) {
            floor.body_bytes += batch.size() + 1;  // the closing ']'
            ++floor.batches;
            batch.clear();
            batch_rows = 0;
        }
        batch += batch_rows == 0 ? '[' : ',';
        batch.append(row.GetString(), row.GetSize());
        ++batch_rows;
        ++floor.rows;
    }
}

}  // namespace

ClientFloorMeter::ClientFloorMeter(std::string last_seen, std::ostream& copy_rows)
    : last_seen_(std::move(last_seen)), copy_rows_(copy_rows) {
    batch_.reserve(kBatchBytes);
}

void ClientFloorMeter::take_page(const std::string& body) {
    const double started = thread_cpu_seconds();
    rapidjson::Document page;
    parse_and_write(body, page, last_seen_, batch_, batch_rows_, floor_);
    floor_.cpu_seconds += thread_cpu_seconds() - started;
    floor_.page_bytes += body.size();

    // Untimed: the same rows for floor (b).
    for (const rapidjson::Value* job : jobs_of(page)) {
        bool first = true;
        for_each_column(*job, [&](std::string_view, const rapidjson::Value* value) {
            if (!first) copy_rows_ << '\t';
            first = false;
            copy_value(copy_rows_, value);
        });
        copy_rows_ << "\ttrue\t" << last_seen_ << '\n';
    }
}

ClientFloor ClientFloorMeter::finish() {
    if (batch_rows_ > 0) {
        floor_.body_bytes += batch_.size() + 1;
        ++floor_.batches;
        batch_.clear();
        batch_rows_ = 0;
    }
    return floor_;
}

}  // namespace jobsync::bench
