// Synthetic jobs in JSearch's 2025 schema, shaped like fixtures F1/F2 (jsearch-notes.md
// section 4): nullable posting times, human-text job_employment_type, full state names, float
// hourly salaries, job_salary sometimes missing. Job i depends only on (seed, i, sizes), so a
// longer feed from the same seed starts with the shorter one. JobSizes::realistic adds the bulk
// of real jobs (long descriptions, many apply options, full highlights) from its own random
// stream, so the compact jobs the tests use are unchanged by it.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <ctime>
#include <random>
#include <string_view>
#include <vector>

#include "standins/jsearch/jsearch_standin.hpp"
#include "text/strings.hpp"

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

// Sizes seen in the recorded jobs of ../shared/fixtures/jsearch/real/ (the 20 jobs of the two
// /search responses): job_description lengths in bytes, apply_options counts and the length of
// job_highlights as compact JSON. Realistic jobs draw from these, so a generated feed weighs
// what a real one does (about 8 KB a job).
constexpr std::array<int, 20> real_description_bytes{5723, 2835, 376,  6921, 2260, 4494, 4448,
                                                     3292, 6597, 5086, 3078, 4151, 8698, 1542,
                                                     1437, 1167, 3057, 4350, 6384, 397};
constexpr std::array<int, 20> real_apply_option_counts{8, 3, 1, 5, 5, 8, 4, 1, 8, 8,
                                                       8, 3, 5, 4, 1, 2, 1, 8, 8, 1};
constexpr std::array<int, 20> real_highlights_bytes{2524, 1480, 278,  5458, 1650, 2546, 2822,
                                                    1487, 2832, 3160, 1064, 1342, 4454, 2,
                                                    833,  1160, 823,  2286, 4012, 2};

// Plain text with "\n" and bullets, and the non-ASCII punctuation real postings carry.
constexpr std::array<const char*, 10> description_pieces{
    "\n\nAbout the role:\nYou\u2019ll join a cross-functional team that designs, builds and runs "
    "the services behind our customer-facing products, from the first sketch to production.",
    "\n\u2022 Design, implement and test features end to end, with care for reliability and "
    "performance",
    "\n\u2022 Review code, write clear documentation and help teammates grow",
    "\n\u2022 Work with product managers and designers to turn r\u00e9sum\u00e9-worthy ideas into "
    "shipped software",
    "\n\nQualifications:\n\u2022 Bachelor\u2019s degree in Computer Science or equivalent "
    "experience\n\u2022 2\u20135 years of professional experience with Python, Java or Go",
    "\n\u2022 Experience with SQL databases (PostgreSQL preferred), REST APIs and cloud platforms "
    "such as AWS, Azure or GCP",
    "\n\nBenefits:\n\u2022 Medical, dental and vision insurance\n\u2022 401(k) with company match"
    "\n\u2022 Paid time off, parental leave and a learning budget",
    "\n\nOur company is an equal opportunity employer. All qualified applicants will receive "
    "consideration for employment without regard to race, color, religion, sex, sexual "
    "orientation, gender identity, national origin, disability or veteran status.",
    "\n\nSalary range: $80,000 \u2013 $120,000 per year, depending on experience and location. "
    "This position is eligible for a hybrid schedule (3 days a week on site).",
    "\n\nWhy join us? We are a growing team that values ownership, curiosity and kindness; we "
    "ship small changes often and learn from every release.",
};
constexpr std::array<const char*, 3> highlight_keys{"Qualifications", "Responsibilities",
                                                    "Benefits"};
constexpr std::array<const char*, 6> highlight_items{
    "Bachelor's degree in Computer Science, Information Systems or a related field",
    "Experience building and operating web services in Python, Java or Go",
    "Strong written and verbal communication skills, and a habit of writing things down",
    "Design, develop, test and deploy features across the stack in small, safe steps",
    "Partner with product, design and operations to understand what customers need",
    "Medical, dental and vision coverage from day one; 401(k) with a 4% match",
};
constexpr std::array<const char*, 8> apply_publishers{
    "LinkedIn", "Indeed", "ZipRecruiter", "Glassdoor", "BeBee", "Ladders", "JobGet", "Jobilize"};

int jittered(std::mt19937_64& random, int bytes) {
    return bytes * static_cast<int>(85 + random() % 31) / 100;  // +-15%
}

std::string realistic_description(std::mt19937_64& random, const std::string& intro) {
    const int target = jittered(random, real_description_bytes[random() % 20]);
    std::string text = intro;
    while (static_cast<int>(text.size()) < target) {
        text += description_pieces[random() % description_pieces.size()];
    }
    return text;
}

void write_realistic_highlights(Writer& writer, std::mt19937_64& random) {
    const int target = jittered(random, real_highlights_bytes[random() % 20]);
    std::array<std::vector<const char*>, 3> items;
    int bytes = 2;
    for (std::size_t next = 0; bytes < target; ++next) {
        const char* item = highlight_items[random() % highlight_items.size()];
        items[next % 3].push_back(item);
        bytes += static_cast<int>(std::char_traits<char>::length(item)) + 3;
    }
    writer.StartObject();
    for (std::size_t key = 0; key < 3; ++key) {
        if (items[key].empty()) continue;
        writer.Key(highlight_keys[key]);
        writer.StartArray();
        for (const char* item : items[key]) writer.String(item);
        writer.EndArray();
    }
    writer.EndObject();
}

std::string make_job(std::uint64_t seed_hash, int index, JobSizes sizes) {
    const bool realistic = sizes == JobSizes::realistic;
    std::mt19937_64 bulk(splitmix(seed_hash ^ (0xb0151eULL * (index + 1))));
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
    const int more_options = realistic ? real_apply_option_counts[bulk() % 20] - 1 : 0;
    for (int option = 0; option < more_options; ++option) {
        const std::string other = apply_publishers[(option + 1) % apply_publishers.size()];
        writer.StartObject();
        key_string(writer, "publisher", other);
        key_string(writer, "apply_link",
                   "https://www." + text::to_lower(other) + ".example/job/" + slug + "-" +
                       std::to_string(option) +
                       "?utm_campaign=google_jobs_apply&utm_source=google_jobs_apply"
                       "&utm_medium=organic");
        writer.Key("is_direct");
        writer.Bool(false);
        writer.EndObject();
    }
    writer.EndArray();
    const std::string intro = title + " at " + employer.first + " in " + place.city +
                              ".\n\nWhat you will do:\n"
                              "\u2022 Build and run services our customers rely on\n"
                              "\u2022 Work with a small, friendly team\n\nPosting " +
                              std::to_string(index) + ".";
    key_string(writer, "job_description", realistic ? realistic_description(bulk, intro) : intro);
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
    if (realistic) {
        write_realistic_highlights(writer, bulk);
    } else {
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
    }
    key_string(writer, "job_onet_soc", "15113200");
    key_string(writer, "job_onet_job_zone", "4");
    writer.EndObject();
    return buffer.GetString();
}

}  // namespace

std::vector<std::string> generate_jobs(int count, const std::string& seed, JobSizes sizes) {
    const std::uint64_t seed_hash = fnv1a(seed);
    std::vector<std::string> jobs;
    jobs.reserve(static_cast<std::size_t>(std::max(count, 0)));
    for (int i = 0; i < count; ++i) jobs.push_back(make_job(seed_hash, i, sizes));
    return jobs;
}

}  // namespace jobsync::testing
