#include <boost/test/unit_test.hpp>

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

BOOST_AUTO_TEST_CASE(compact_json_keeps_unicode_unescaped) {
    rapidjson::Document document;
    document.Parse(R"( { "a" : [ "x\u00fc", "y/z" ] } )");
    BOOST_TEST(*to_compact_json(document) == "{\"a\":[\"x\xC3\xBC\",\"y/z\"]}");
}

BOOST_AUTO_TEST_SUITE_END()
