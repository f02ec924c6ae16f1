// The JSON writer against its reference, RapidJSON's Writer: the same bytes for every value.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <boost/test/unit_test.hpp>
#include <string>

#include "jobs/json_writer.hpp"
#include "unit/jobs/fixture_file.hpp"

using jobsync::jobs::append_clean_compact_json;
using jobsync::jobs::append_clean_json_string;
using jobsync::jobs::append_compact_json;
using jobsync::jobs::append_json_string;

namespace {

std::string rapidjson_text(const rapidjson::Value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    value.Accept(writer);
    return {buffer.GetString(), buffer.GetSize()};
}

std::string ours(const rapidjson::Value& value) {
    std::string out;
    append_compact_json(out, value);
    return out;
}

rapidjson::Document parse(const std::string& json) {
    rapidjson::Document document;
    document.Parse(json.c_str(), json.size());
    BOOST_TEST_REQUIRE(!document.HasParseError());
    return document;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_writer)

BOOST_AUTO_TEST_CASE(every_recorded_response_is_written_as_rapidjson_writes_it) {
    for (const char* name : {jobsync::testing::kFixture2025, jobsync::testing::kFixture2024,
                             jobsync::testing::kFixtureJobObject}) {
        const auto document = parse(jobsync::testing::read_fixture(name));
        BOOST_TEST(ours(document) == rapidjson_text(document), name);
    }
}

BOOST_AUTO_TEST_CASE(numbers_of_every_kind_are_written_as_rapidjson_writes_them) {
    const auto document = parse(
        R"([0, -0, 1, -1, 2147483647, -2147483648, 4294967295, 4294967296, -2147483649,)"
        R"( 9223372036854775807, -9223372036854775808, 18446744073709551615, 0.0, -0.0, 27.21,)"
        R"( 1e21, 1.5e-7, 120000.0, -87.62979819999999, 1.7976931348623157e308, 5e-324])");
    BOOST_TEST(ours(document) == rapidjson_text(document));
}

BOOST_AUTO_TEST_CASE(strings_and_keys_are_escaped_as_rapidjson_escapes_them) {
    std::string every_byte;
    for (int byte = 1; byte < 0x80; ++byte) every_byte += static_cast<char>(byte);
    every_byte += "\xE2\x80\xA2 caf\xC3\xA9";
    rapidjson::Document document(rapidjson::kObjectType);
    auto& allocator = document.GetAllocator();
    for (std::size_t at = 0; at < 40; ++at) {
        const std::string text = std::string(at, 'k') + every_byte + std::string(40 - at, 'v');
        document.AddMember(rapidjson::Value(text.c_str(), allocator),
                           rapidjson::Value(text.c_str(), allocator), allocator);
    }
    BOOST_TEST(ours(document) == rapidjson_text(document));
    std::string out;
    append_json_string(out, "");
    BOOST_TEST(out == "\"\"");
}

BOOST_AUTO_TEST_CASE(clean_writes_match_the_plain_ones_and_refuse_what_is_not_clean_utf8) {
    // Every offset, so the broken byte falls in a skipped block or word, the tail, or a sequence
    // split across two; a refused write leaves what was written before it untouched.
    const std::string ascii(40, 'x');
    for (std::size_t at = 0; at <= ascii.size(); ++at) {
        const std::string head = ascii.substr(0, at), tail = ascii.substr(at);
        for (const std::string& clean :
             {head + "\xE2\x80\xA2\"\n" + tail, head + "\xF0\x9F\x9A\x80\x1F" + tail}) {
            std::string plain = "[", checked = "[";
            append_json_string(plain, clean);
            BOOST_TEST(append_clean_json_string(checked, clean));
            BOOST_TEST(checked == plain);
        }
        for (const std::string& broken :
             {head + "\xFF" + tail, head + "\xE2\x80" + tail, head + "\xED\xA0\x80" + tail,
              head + std::string(1, '\0') + tail}) {
            std::string out = "[";
            BOOST_TEST(!append_clean_json_string(out, broken));
            BOOST_TEST(out == "[");
        }
    }
}

BOOST_AUTO_TEST_CASE(clean_compact_json_matches_the_plain_writer_or_writes_nothing) {
    for (const char* name : {jobsync::testing::kFixture2025, jobsync::testing::kFixture2024}) {
        const auto document = parse(jobsync::testing::read_fixture(name));
        std::string out = "x";
        BOOST_TEST(append_clean_compact_json(out, document), name);
        BOOST_TEST(out == "x" + rapidjson_text(document), name);
    }
    rapidjson::Document document(rapidjson::kObjectType);
    auto& allocator = document.GetAllocator();
    rapidjson::Value list(rapidjson::kArrayType);
    list.PushBack(rapidjson::Value("fine", allocator), allocator);
    list.PushBack(rapidjson::Value("caf\xC3", allocator), allocator);  // cut short
    document.AddMember("a", list, allocator);
    std::string out = "x";
    BOOST_TEST(!append_clean_compact_json(out, document));
    BOOST_TEST(out == "x");
    rapidjson::Document keyed(rapidjson::kObjectType);
    rapidjson::Value key("k\xFF", keyed.GetAllocator());
    keyed.AddMember(key, rapidjson::Value(1), keyed.GetAllocator());
    BOOST_TEST(!append_clean_compact_json(out, keyed));
    BOOST_TEST(out == "x");
}

BOOST_AUTO_TEST_SUITE_END()
