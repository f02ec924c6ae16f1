#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "jobs/job_row.hpp"
#include "postgrest/payload.hpp"
#include "unit/jobs/mapping_helpers.hpp"

using jobsync::jobs::JobRow;
using jobsync::jobs::JsonText;
using jobsync::jobs::kSyncColumns;
using jobsync::postgrest::append_row;
using jobsync::postgrest::encode_row;

namespace {

constexpr const char* kRunStart = "2024-05-01T10:00:00Z";

JobRow full_row() {
    JobRow row;
    row.job_id = "abc123==";
    row.job_title = "Senior C++ Engineer";
    row.employer_name = "Acme";
    row.employer_logo = "https://acme.example/logo.png";
    row.employer_website = "https://acme.example";
    row.job_publisher = "LinkedIn";
    row.job_employment_type = "FULLTIME";
    row.job_employment_types = JsonText{R"(["FULLTIME","CONTRACTOR"])"};
    row.job_apply_link = "https://apply.example/1";
    row.job_apply_is_direct = false;
    row.apply_options = JsonText{R"([{"publisher":"LinkedIn","is_direct":false}])"};
    row.job_description = "Build things.";
    row.job_is_remote = true;
    row.job_location = "Chicago, IL";
    row.job_city = "Chicago";
    row.job_state = "Illinois";
    row.job_country = "US";
    row.job_latitude = 41.8781;
    row.job_longitude = -87.6298;
    row.job_posted_at_datetime_utc = "2024-04-30T08:00:00.000Z";
    row.job_min_salary = 120000;
    row.job_max_salary = 150000.5;
    row.job_salary_currency = "USD";
    row.job_salary_period = "YEAR";
    row.job_highlights = JsonText{R"({"Qualifications":["C++17"]})"};
    row.job_benefits = JsonText{R"(["health_insurance"])"};
    row.job_google_link = "https://www.google.com/search?q=x&ibp=htl;jobs";
    return row;
}

std::vector<std::string> keys_of(const std::string& json) {
    rapidjson::Document document;
    document.Parse(json.c_str());
    BOOST_TEST_REQUIRE(!document.HasParseError());
    BOOST_TEST_REQUIRE(document.IsObject());
    std::vector<std::string> keys;
    for (const auto& member : document.GetObject()) keys.emplace_back(member.name.GetString());
    return keys;
}

std::string title_json(const std::string& title) {
    JobRow row;
    row.job_id = "x";
    row.job_title = title;
    const std::string json = encode_row(row, kRunStart);
    const std::string prefix = R"({"job_id":"x","job_title":)";
    BOOST_TEST_REQUIRE(json.compare(0, prefix.size(), prefix) == 0);
    return json.substr(prefix.size(), json.find(",\"employer_name\"") - prefix.size());
}

// The reference for the encoder's strings and numbers: what RapidJSON's Writer makes of them.
std::string rapidjson_string(const std::string& text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return buffer.GetString();
}

std::string rapidjson_number(double value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.Double(value);
    return buffer.GetString();
}

std::string latitude_json(double latitude) {
    JobRow row;
    row.job_id = "x";
    row.job_latitude = latitude;
    const std::string json = encode_row(row, kRunStart);
    const std::string key = R"("job_latitude":)";
    const auto start = json.find(key) + key.size();
    return json.substr(start, json.find(',', start) - start);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(payload)

BOOST_AUTO_TEST_CASE(a_full_row_is_encoded_exactly) {
    const std::string expected =
        R"({"job_id":"abc123==","job_title":"Senior C++ Engineer","employer_name":"Acme",)"
        R"("employer_logo":"https://acme.example/logo.png",)"
        R"("employer_website":"https://acme.example","job_publisher":"LinkedIn",)"
        R"("job_employment_type":"FULLTIME","job_employment_types":["FULLTIME","CONTRACTOR"],)"
        R"("job_apply_link":"https://apply.example/1","job_apply_is_direct":false,)"
        R"("apply_options":[{"publisher":"LinkedIn","is_direct":false}],)"
        R"("job_description":"Build things.","job_is_remote":true,"job_location":"Chicago, IL",)"
        R"("job_city":"Chicago","job_state":"Illinois","job_country":"US",)"
        R"("job_latitude":41.8781,"job_longitude":-87.6298,)"
        R"("job_posted_at_datetime_utc":"2024-04-30T08:00:00.000Z",)"
        R"("job_min_salary":120000.0,"job_max_salary":150000.5,"job_salary_currency":"USD",)"
        R"("job_salary_period":"YEAR","job_highlights":{"Qualifications":["C++17"]},)"
        R"("job_benefits":["health_insurance"],)"
        R"("job_google_link":"https://www.google.com/search?q=x&ibp=htl;jobs",)"
        R"("is_active":true,"last_seen":"2024-05-01T10:00:00Z"})";
    BOOST_TEST(encode_row(full_row(), kRunStart) == expected);
}

BOOST_AUTO_TEST_CASE(a_row_appended_to_a_batch_text_is_the_encoded_row_after_what_was_there) {
    std::string batch = R"([{"job_id":"earlier"},)";
    const std::string before = batch;
    append_row(batch, full_row(), kRunStart);
    BOOST_TEST(batch == before + encode_row(full_row(), kRunStart));
}

BOOST_AUTO_TEST_CASE(an_all_null_row_still_carries_every_key) {
    JobRow row;
    row.job_id = "only-id";
    const std::string expected =
        R"({"job_id":"only-id","job_title":null,"employer_name":null,"employer_logo":null,)"
        R"("employer_website":null,"job_publisher":null,"job_employment_type":null,)"
        R"("job_employment_types":null,"job_apply_link":null,"job_apply_is_direct":null,)"
        R"("apply_options":null,"job_description":null,"job_is_remote":null,)"
        R"("job_location":null,"job_city":null,"job_state":null,"job_country":null,)"
        R"("job_latitude":null,"job_longitude":null,"job_posted_at_datetime_utc":null,)"
        R"("job_min_salary":null,"job_max_salary":null,"job_salary_currency":null,)"
        R"("job_salary_period":null,"job_highlights":null,"job_benefits":null,)"
        R"("job_google_link":null,"is_active":true,"last_seen":"2024-05-01T10:00:00+00:00"})";
    BOOST_TEST(encode_row(row, "2024-05-01T10:00:00+00:00") == expected);
}

BOOST_AUTO_TEST_CASE(keys_are_exactly_the_sync_columns_in_order) {
    const std::vector<std::string> expected(kSyncColumns.begin(), kSyncColumns.end());
    BOOST_TEST(keys_of(encode_row(full_row(), kRunStart)) == expected,
               boost::test_tools::per_element());
    JobRow sparse;
    sparse.job_id = "2";
    BOOST_TEST(keys_of(encode_row(sparse, kRunStart)) == expected,
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(users_columns_are_never_sent) {
    const std::string json = encode_row(full_row(), kRunStart);
    BOOST_TEST(json.find("click_count") == std::string::npos);
    BOOST_TEST(json.find("lane") == std::string::npos);
    BOOST_TEST(json.find("created_at") == std::string::npos);
    BOOST_TEST(json.find("\"id\"") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(quotes_backslashes_and_control_characters_are_escaped) {
    BOOST_TEST(title_json("He said \"hi\"\n\tC:\\dir\x01") ==
               R"("He said \"hi\"\n\tC:\\dir\u0001")");
}

BOOST_AUTO_TEST_CASE(unicode_passes_through_as_utf8) {
    BOOST_TEST(title_json("Caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 </script>") ==
               "\"Caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 </script>\"");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_replaced_and_nul_is_dropped) {
    // A lone continuation byte, a truncated sequence, an overlong '/', and an embedded NUL.
    const std::string title = std::string(
                                  "a\x80"
                                  "b\xE2\x82"
                                  "c\xC0\xAF"
                                  "d") +
                              '\0' + "e";
    BOOST_TEST(title_json(title) ==
               "\"a\xEF\xBF\xBD"
               "b\xEF\xBF\xBD\xEF\xBF\xBD"
               "c\xEF\xBF\xBD\xEF\xBF\xBD"
               "de\"");
}

BOOST_AUTO_TEST_CASE(bad_bytes_are_found_at_every_offset_of_long_ascii_text) {
    // Long clean stretches are scanned a word at a time: a bad byte or a NUL must be caught
    // wherever it falls, and a multi-byte character straddling two words must pass.
    const std::string ascii(40, 'x');
    for (std::size_t at = 0; at <= ascii.size(); ++at) {
        const std::string head = ascii.substr(0, at), tail = ascii.substr(at);
        BOOST_TEST(title_json(head + "\xE2\x80\xA2" + tail) ==
                   "\"" + head + "\xE2\x80\xA2" + tail + "\"");
        BOOST_TEST(title_json(head + "\xFF" + tail) == "\"" + head + "\xEF\xBF\xBD" + tail + "\"");
        BOOST_TEST(title_json(head + '\0' + tail) == "\"" + ascii + "\"");
    }
}

BOOST_AUTO_TEST_CASE(strings_are_escaped_exactly_as_rapidjson_escapes_them) {
    for (int byte = 1; byte < 0x80; ++byte) {
        const std::string one(1, static_cast<char>(byte));
        BOOST_TEST(title_json(one) == rapidjson_string(one));
        const std::string text = std::string(13, 'a') + one + std::string(20, 'b') + one + "c";
        BOOST_TEST(title_json(text) == rapidjson_string(text));
    }
    for (std::size_t at = 0; at <= 24; ++at) {
        std::string text(24, 'x');
        text.insert(at, "\"\\\n\x1F\x7F/\xE2\x80\xA2</script>");
        BOOST_TEST(title_json(text) == rapidjson_string(text));
    }
}

BOOST_AUTO_TEST_CASE(numbers_are_written_exactly_as_rapidjson_writes_them) {
    for (double value : {0.0, -0.0, 27.21, 35.5, 41.8781, -87.62979819999999, 38.6270025, 1e21,
                         1.5e-7, 120000.0, 9007199254740993.0, 123456.789, -1e-300, 1.7e308}) {
        BOOST_TEST(latitude_json(value) == rapidjson_number(value));
    }
}

BOOST_AUTO_TEST_CASE(non_finite_numbers_become_null) {
    JobRow row;
    row.job_id = "n";
    row.job_latitude = std::nan("");
    row.job_min_salary = INFINITY;
    const std::string json = encode_row(row, kRunStart);
    BOOST_TEST(json.find(R"("job_latitude":null,)") != std::string::npos);
    BOOST_TEST(json.find(R"("job_min_salary":null,)") != std::string::npos);
    BOOST_TEST(keys_of(json).size() == kSyncColumns.size());
}

BOOST_AUTO_TEST_CASE(an_empty_json_text_becomes_null_rather_than_broken_json) {
    JobRow row;
    row.job_id = "e";
    row.job_highlights = JsonText{""};
    const std::string json = encode_row(row, kRunStart);
    BOOST_TEST(json.find(R"("job_highlights":null,)") != std::string::npos);
    BOOST_TEST(keys_of(json).size() == kSyncColumns.size());
}

BOOST_AUTO_TEST_CASE(mapped_rows_skip_the_second_utf8_check_and_encode_the_same) {
    // The mapper vouches for its rows' text (clean_text): the encoder only escapes it. Every
    // real fixture job, and jobs whose text the mapper had to clean, must come out byte for
    // byte as the checking encoder writes them.
    std::vector<JobRow> rows;
    for (const char* name : {jobsync::testing::kFixture2025, jobsync::testing::kFixture2024,
                             jobsync::testing::kFixtureJobObject}) {
        for (const auto& result : jobsync::testing::map_fixture(name).results) {
            BOOST_TEST_REQUIRE(result.row.has_value());
            rows.push_back(*result.row);
        }
    }
    for (
        const char* json :
        {R"({"job_id":"nul","job_title":"a\u0000b","job_description":"line\n\"quoted\"\t\u2022 x"})",
         R"({"job_id":"ctl","job_title":"\u001f\u007f</script>","job_city":"Z\u00fcrich"})"}) {
        auto result = jobsync::jobs::map_job_json(json);
        BOOST_TEST_REQUIRE(result.row.has_value(), json);
        rows.push_back(*result.row);
    }
    for (const JobRow& row : rows) {
        BOOST_TEST(row.clean_text);
        JobRow unvouched = row;
        unvouched.clean_text = false;
        BOOST_TEST(encode_row(row, "2024-05-01T12:00:00.000Z") ==
                   encode_row(unvouched, "2024-05-01T12:00:00.000Z"));
    }
}

BOOST_AUTO_TEST_CASE(a_row_nobody_vouched_for_is_still_checked_and_cleaned) {
    JobRow row;
    row.job_id = "raw";
    row.job_title = std::string(
        "a\x80"
        "b");
    BOOST_TEST(!row.clean_text);
    BOOST_TEST(encode_row(row, "t").find("\"job_title\":\"a\xEF\xBF\xBD"
                                         "b\"") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
