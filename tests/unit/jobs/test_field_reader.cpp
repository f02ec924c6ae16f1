#include <boost/test/unit_test.hpp>
#include <string>

#include "jobs/field_reader.hpp"

using jobsync::jobs::detail::is_valid_utf8;
using jobsync::jobs::detail::to_compact_json;

BOOST_AUTO_TEST_SUITE(field_reader)

BOOST_AUTO_TEST_CASE(utf8_check_accepts_real_text_and_refuses_broken_bytes) {
    BOOST_TEST(is_valid_utf8("Senior Software Engineer \xE2\x80\x93 Backend"));  // en dash
    BOOST_TEST(is_valid_utf8("M\xC3\xBCnchen \xF0\x9F\x9A\x80"));                // ü, rocket
    BOOST_TEST(!is_valid_utf8("\xC3"));                                          // cut short
    BOOST_TEST(!is_valid_utf8("\xC3\x28"));                                      // bad continuation
    BOOST_TEST(!is_valid_utf8("\xC0\xAF"));                                      // overlong '/'
    BOOST_TEST(!is_valid_utf8("\xED\xA0\x80"));                                  // UTF-16 surrogate
    BOOST_TEST(!is_valid_utf8("\xF4\x90\x80\x80"));                              // past U+10FFFF
    BOOST_TEST(!is_valid_utf8("\xFF"));
}

BOOST_AUTO_TEST_CASE(utf8_check_finds_broken_bytes_at_every_offset_of_long_text) {
    // Long ASCII stretches are skipped a word at a time; what follows them is still checked,
    // and a character split across two words is still whole.
    const std::string ascii(40, 'x');
    for (std::size_t at = 0; at <= ascii.size(); ++at) {
        const std::string head = ascii.substr(0, at), tail = ascii.substr(at);
        BOOST_TEST(is_valid_utf8(head + "\xE2\x80\xA2" + tail));      // a bullet
        BOOST_TEST(is_valid_utf8(head + "\xF0\x9F\x9A\x80" + tail));  // a rocket
        BOOST_TEST(!is_valid_utf8(head + "\xFF" + tail));
        BOOST_TEST(!is_valid_utf8(head + "\xE2\x80" + tail));      // cut short
        BOOST_TEST(!is_valid_utf8(head + "\xED\xA0\x80" + tail));  // UTF-16 surrogate
    }
    BOOST_TEST(!is_valid_utf8(ascii + "\xE2\x80"));  // cut short at the very end
}

BOOST_AUTO_TEST_CASE(compact_json_keeps_unicode_unescaped) {
    rapidjson::Document document;
    document.Parse(R"( { "a" : [ "x\u00fc", "y/z" ] } )");
    BOOST_TEST(*to_compact_json(document) == "{\"a\":[\"x\xC3\xBC\",\"y/z\"]}");
}

BOOST_AUTO_TEST_CASE(compact_json_refuses_invalid_utf8_in_any_string_or_key) {
    const auto compact = [](const std::string& json) {
        rapidjson::Document document;
        document.Parse(json.c_str(), json.size());  // RapidJSON does not check UTF-8 by default
        BOOST_REQUIRE(!document.HasParseError());
        return to_compact_json(document);
    };
    BOOST_TEST(!compact("{\"Qualifications\":[\"ok\",\"caf\xC3\"]}"));  // a nested item
    BOOST_TEST(!compact("{\"Qualif\xFFications\":[\"ok\"]}"));          // a key
    BOOST_TEST(!compact("[{\"publisher\":\"x\",\"apply_link\":\"\xED\xA0\x80\"}]"));  // surrogate
    BOOST_TEST(*compact("{\"Benefits\":[\"401(k) \xE2\x80\x93 4%\",\"tab\\there\"]}") ==
               "{\"Benefits\":[\"401(k) \xE2\x80\x93 4%\",\"tab\\there\"]}");
}

BOOST_AUTO_TEST_SUITE_END()
