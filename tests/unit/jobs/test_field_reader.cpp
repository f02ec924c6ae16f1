#include <boost/test/unit_test.hpp>
#include <string>

#include "jobs/field_reader.hpp"

using jobsync::jobs::detail::to_compact_json;

BOOST_AUTO_TEST_SUITE(field_reader)

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
