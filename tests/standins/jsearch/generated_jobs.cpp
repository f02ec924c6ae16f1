// Synthetic jobs in JSearch's 2025 schema, shaped like fixtures F1/F2 (jsearch-notes.md
// section 4): nullable posting times, human-text job_employment_type, full state names, float
// hourly salaries, job_salary sometimes missing. Job i depends only on (seed, i), so a longer
// feed from the same seed starts with the shorter one.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <cstdint>
#include <ctime>
#include <random>
#include <string_view>

#include "standins/jsearch/jsearch_standin.hpp"

namespace jobsync::testing {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

struct Place {
    const char* city;
    const char* state;  // full name, as JSearch sends it since late 2024
    const char* abbreviation;
    double latitude;
    double longitude;
};

constexpr std::array<Place, 6> places{{
    {"St. Louis", "Missouri", "MO", 38.6270025, -90.19940419999999},
    {"Washington", "District of Columbia", "DC", 38.9071923, -77.0368707},
    {"Chicago", "Illinois", "IL", 41.8781136, -87.6297982},
    {"Austin", "Texas", "TX", 30.267153, -97.7430608},
    {"Arlington", "Virginia", "VA", 38.8816208, -77.09098089999999},
    {"New York", "New York", "NY", 40.7127753, -74.0059728},
}};
constexpr std::array<const char*, 6> titles{
    "Junior Python Developer", "Data Analyst",          "Backend Software Engineer",
    "Frontend Developer",      "DevOps Engineer (AWS)", "Software Engineer Intern"};
constexpr std::array<std::pair<const char*, const char*>, 5> employers{{
    {"Acme Analytics, Inc.", "https://www.acme-analytics.example"},
    {"Northwind Systems", "https://northwind.example"},
    {"Globex", nullptr},
    {"Initech LLC", "https://initech.example"},
    {"Umbrella Health", nullptr},
}};
constexpr std::array<const char*, 5> publishers{"LinkedIn", "Indeed", "ZipRecruiter", "Glassdoor",
                                                "BeBee"};

struct EmploymentKind {
    const char* text;  // nullptr: JSON null
    std::array<const char*, 3> types;
};
constexpr std::array<EmploymentKind, 5> employment_kinds{{
    {"Full-time", {"FULLTIME", nullptr, nullptr}},
    {"Part-time and Contractor", {"PARTTIME", "CONTRACTOR", nullptr}},
    {"Full-time, Part-time, and Contractor", {"FULLTIME", "PARTTIME", "CONTRACTOR"}},
    {"Contractor", {"CONTRACTOR", "CONTRACTOR", nullptr}},  // duplicates happen in real data
    {nullptr, {nullptr, nullptr, nullptr}},
}};

std::uint64_t fnv1a(std::string_view text) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ULL;
    return hash;
}

std::uint64_t splitmix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// 24 characters of URL-safe base64 ending in "AAAAAA==", like real ids: 8 bytes that look
// random, then the index (which makes ids unique within a seed), then 4 zero bytes.
std::string make_job_id(std::uint64_t seed_hash, int index) {
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::array<unsigned char, 16> bytes{};
    std::uint64_t mixed = splitmix(seed_hash + static_cast<std::uint64_t>(index));
    for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(mixed >> (56 - 8 * i));
    for (int i = 0; i < 4; ++i)
        bytes[8 + i] =
            static_cast<unsigned char>(static_cast<std::uint32_t>(index) >> (24 - 8 * i));
    std::string id;
    for (std::size_t i = 0; i < 15; i += 3) {
        std::uint32_t chunk = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
        for (int shift = 18; shift >= 0; shift -= 6) id += alphabet[(chunk >> shift) & 63];
    }
    id += alphabet[bytes[15] >> 2];
    id += alphabet[(bytes[15] & 3) << 4];
    return id + "==";
}

std::string utc_midnight(std::int64_t timestamp) {
    std::time_t time = static_cast<std::time_t>(timestamp);
    std::tm tm{};
    gmtime_r(&time, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT00:00:00.000Z", &tm);
    return text;
}

void string_or_null(Writer& writer, const char* value) {
    if (value) {
        writer.String(value);
    } else {
        writer.Null();
    }
}

void key_string(Writer& writer, const char* key, const std::string& value) {
    writer.Key(key);
    writer.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void write_salary(Writer& writer, int index) {
    writer.Key("job_min_salary");
    switch (index % 4) {
        case 0:
            writer.Int(80000);
            break;
        case 1:
            writer.Double(27.21);
            break;  // hourly, fractional
        case 2:
            writer.Null();
            break;
        default:
            writer.Int(95000 + 1000 * index);
            break;
    }
    writer.Key("job_max_salary");
    switch (index % 4) {
        case 0:
            writer.Int(120000);
            break;
        case 1:
            writer.Double(35.5);
            break;
        default:
            writer.Null();
            break;
    }
    writer.Key("job_salary_period");
    string_or_null(writer, index % 4 == 1 ? "HOUR" : index % 4 == 2 ? nullptr : "YEAR");
    if (index % 3 != 2) {  // the key itself is absent from some real jobs
        writer.Key("job_salary");
        writer.Null();
    }
}

std::string make_job(std::uint64_t seed_hash, int index) {
    std::mt19937_64 random(splitmix(seed_hash ^ (0x51ed27ULL * (index + 1))));
    const auto& place = places[random() % places.size()];
    const std::string title = titles[random() % titles.size()];
    const auto& employer = employers[random() % employers.size()];
    const std::string publisher = publishers[random() % publishers.size()];
    const auto& employment = employment_kinds[index % employment_kinds.size()];
    const std::string job_id = make_job_id(seed_hash, index);
    const std::string slug = std::to_string(random() % 1000000000);
    const std::string apply_link = "https://jobs.example/" + slug +
                                   "?utm_campaign=google_jobs_apply&utm_source=google_jobs_apply"
                                   "&utm_medium=organic";
    const bool posted_known = index % 5 != 1 && index % 5 != 3;  // ~40% null, as in 2025 data
    const int days_ago = static_cast<int>(random() % 30);
    const std::int64_t posted = 1750723200LL - 86400LL * days_ago;  // from 2025-06-24 back

    rapidjson::StringBuffer buffer;
    Writer writer(buffer);
    writer.StartObject();
    key_string(writer, "job_id", job_id);
    key_string(writer, "job_title", title);
    key_string(writer, "employer_name", employer.first);
    writer.Key("employer_logo");
    if (index % 2 == 0) {
        writer.String(("https://encrypted-tbn0.gstatic.com/images?q=tbn:" + slug).c_str());
    } else {
        writer.Null();
    }
    writer.Key("employer_website");
    string_or_null(writer, employer.second);
    key_string(writer, "job_publisher", publisher);
    writer.Key("job_employment_type");
    string_or_null(writer, employment.text);
    writer.Key("job_employment_types");
    writer.StartArray();
    for (const char* type : employment.types) {
        if (type) writer.String(type);
    }
    writer.EndArray();
    key_string(writer, "job_apply_link", apply_link);
    writer.Key("job_apply_is_direct");
    writer.Bool(index % 4 == 3);
    writer.Key("apply_options");
    writer.StartArray();
    writer.StartObject();
    key_string(writer, "publisher", publisher);
    key_string(writer, "apply_link", apply_link);
    writer.Key("is_direct");
    writer.Bool(index % 4 == 3);
    writer.EndObject();
    writer.EndArray();
    key_string(writer, "job_description",
               title + " at " + employer.first + " in " + place.city +
                   ".\n\nWhat you will do:\n"
                   "\u2022 Build and run services our customers rely on\n"
                   "\u2022 Work with a small, friendly team\n\nPosting " +
                   std::to_string(index) + ".");
    writer.Key("job_is_remote");
    writer.Bool(index % 6 == 0);
    writer.Key("job_posted_at");
    string_or_null(writer,
                   posted_known ? (std::to_string(days_ago) + " days ago").c_str() : nullptr);
    writer.Key("job_posted_at_timestamp");
    if (posted_known) {
        writer.Int64(posted);
    } else {
        writer.Null();
    }
    writer.Key("job_posted_at_datetime_utc");
    string_or_null(writer, posted_known ? utc_midnight(posted).c_str() : nullptr);
    key_string(writer, "job_location", std::string(place.city) + ", " + place.abbreviation);
    key_string(writer, "job_city", place.city);
    key_string(writer, "job_state", place.state);
    key_string(writer, "job_country", "US");
    writer.Key("job_latitude");
    writer.Double(place.latitude);
    writer.Key("job_longitude");
    writer.Double(place.longitude);
    writer.Key("job_benefits");
    if (index % 3 == 0) {
        writer.StartArray();
        writer.String("health_insurance");
        writer.String("paid_time_off");
        writer.EndArray();
    } else {
        writer.Null();
    }
    key_string(writer, "job_google_link",
               "https://www.google.com/search?q=jobs&gl=us&hl=en&udm=8#vhid=vt%3D20/docid%3D" +
                   job_id.substr(0, 22) + "%3D%3D&vssid=jobs-detail-viewer");
    write_salary(writer, index);
    writer.Key("job_highlights");
    writer.StartObject();
    if (index % 7 != 4) {  // sometimes {}
        writer.Key("Qualifications");
        writer.StartArray();
        writer.String("Experience with Python or a similar language");
        writer.EndArray();
        writer.Key("Responsibilities");
        writer.StartArray();
        writer.String("Ship small changes often");
        writer.EndArray();
    }
    writer.EndObject();
    key_string(writer, "job_onet_soc", "15113200");
    key_string(writer, "job_onet_job_zone", "4");
    writer.EndObject();
    return buffer.GetString();
}

}  // namespace

std::vector<std::string> generate_jobs(int count, const std::string& seed) {
    const std::uint64_t seed_hash = fnv1a(seed);
    std::vector<std::string> jobs;
    for (int i = 0; i < count; ++i) jobs.push_back(make_job(seed_hash, i));
    return jobs;
}

}  // namespace jobsync::testing
