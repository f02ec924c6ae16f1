// One row of the jobs table as the sync owns it. Users' columns (click_count, lane, ...) are
// deliberately absent: what is not here is never sent, so it survives every upsert.
#pragma once

#include <array>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace jobsync::jobs {

// A text column's value: owned, or borrowed from text that outlives the row. The mapper
// borrows only when asked to (map_job's Texts::borrow), from a parsed response that the row's
// page keeps alive (sync::FetchedPage::text_storage): then a job's text goes from the response
// straight into the upsert's batch, with no copy in between. Copying a Text always copies its
// characters, so a copied row owns all of its text and may outlive the page it came from; only
// a moved row keeps borrowing.
class Text {
  public:
    Text() = default;
    Text(std::string text) : owned_(std::move(text)) {}
    Text(const char* text) : owned_(text) {}
    explicit Text(std::string_view text) : owned_(text) {}

    // Refers to `text`, which must outlive this Text and every Text moved from it.
    static Text borrow(std::string_view text) {
        Text borrowed;
        borrowed.borrowed_ = text;
        borrowed.is_borrowed_ = true;
        return borrowed;
    }

    Text(const Text& other) : owned_(other.view()) {}
    Text& operator=(const Text& other) {
        if (this != &other) *this = Text(other);
        return *this;
    }
    Text(Text&&) noexcept = default;
    Text& operator=(Text&&) noexcept = default;
    ~Text() = default;

    std::string_view view() const { return is_borrowed_ ? borrowed_ : std::string_view(owned_); }
    operator std::string_view() const { return view(); }
    std::string str() const { return std::string(view()); }
    const char* data() const { return view().data(); }
    std::size_t size() const { return view().size(); }
    bool empty() const { return view().empty(); }
    bool borrowed() const { return is_borrowed_; }

    friend bool operator==(const Text& a, const Text& b) { return a.view() == b.view(); }
    friend bool operator==(const Text& a, std::string_view b) { return a.view() == b; }
    friend bool operator==(std::string_view a, const Text& b) { return a == b.view(); }
    friend bool operator==(const Text& a, const std::string& b) { return a.view() == b; }
    friend bool operator==(const std::string& a, const Text& b) { return a == b.view(); }
    friend bool operator==(const Text& a, const char* b) { return a.view() == b; }
    friend bool operator==(const char* a, const Text& b) { return a == b.view(); }
    template <typename T>
    friend bool operator!=(const Text& a, const T& b) {
        return !(a == b);
    }
    friend std::ostream& operator<<(std::ostream& out, const Text& text) {
        return out << text.view();
    }

  private:
    std::string owned_;
    std::string_view borrowed_;
    bool is_borrowed_ = false;
};

// JSON values (arrays/objects) are kept as compact, already-validated JSON text.
struct JsonText {
    std::string text;
    bool operator==(const JsonText& other) const { return text == other.text; }
};

struct JobRow {
    Text job_id;  // the upsert key; never empty in a mapped row
    std::optional<Text> job_title;
    std::optional<Text> employer_name;
    std::optional<Text> employer_logo;
    std::optional<Text> employer_website;
    std::optional<Text> job_publisher;
    std::optional<Text> job_employment_type;       // normalized enum: FULLTIME, PARTTIME, ...
    std::optional<JsonText> job_employment_types;  // distinct enums, e.g. ["FULLTIME"]
    std::optional<Text> job_apply_link;
    std::optional<bool> job_apply_is_direct;
    std::optional<JsonText> apply_options;  // [{publisher, apply_link, is_direct}]
    std::optional<Text> job_description;
    std::optional<bool> job_is_remote;
    std::optional<Text> job_location;
    std::optional<Text> job_city;
    std::optional<Text> job_state;
    std::optional<Text> job_country;
    std::optional<double> job_latitude;
    std::optional<double> job_longitude;
    std::optional<Text> job_posted_at_datetime_utc;  // ISO-8601 UTC, "...Z"
    std::optional<double> job_min_salary;
    std::optional<double> job_max_salary;
    std::optional<Text> job_salary_currency;
    std::optional<Text> job_salary_period;   // YEAR, HOUR, ...
    std::optional<JsonText> job_highlights;  // {"Qualifications": [...], ...}
    std::optional<JsonText> job_benefits;    // ["health_insurance", ...]
    std::optional<Text> job_google_link;
    // Set by map_job, which checked every text above (job_id included): valid UTF-8 without
    // NUL. The encoder then only escapes them instead of checking them a second time. A row
    // built any other way keeps false and is checked (and cleaned) when encoded.
    bool clean_text = false;
};

// Columns the sync writes, in payload order: the JobRow fields above, then is_active and
// last_seen, which the upsert adds to every row. Used for `?columns=` and in tests.
inline constexpr std::array<std::string_view, 29> kSyncColumns = {
    "job_id",
    "job_title",
    "employer_name",
    "employer_logo",
    "employer_website",
    "job_publisher",
    "job_employment_type",
    "job_employment_types",
    "job_apply_link",
    "job_apply_is_direct",
    "apply_options",
    "job_description",
    "job_is_remote",
    "job_location",
    "job_city",
    "job_state",
    "job_country",
    "job_latitude",
    "job_longitude",
    "job_posted_at_datetime_utc",
    "job_min_salary",
    "job_max_salary",
    "job_salary_currency",
    "job_salary_period",
    "job_highlights",
    "job_benefits",
    "job_google_link",
    "is_active",
    "last_seen",
};

}  // namespace jobsync::jobs
