#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <string>
#include <utility>
#include <vector>

#include "jobs/job_row.hpp"
#include "jobs/mapping.hpp"

using jobsync::jobs::map_job;
using jobsync::jobs::Text;
using jobsync::jobs::Texts;

namespace {

// True when `text` points into `buffer`.
bool inside(const Text& text, const std::string& buffer) {
    return text.data() >= buffer.data() &&
           text.data() + text.size() <= buffer.data() + buffer.size();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(text)

BOOST_AUTO_TEST_CASE(a_text_built_from_a_string_owns_its_characters) {
    std::string source = "a title long enough not to fit in a small string";
    const Text text(source);
    source.assign(source.size(), 'x');
    BOOST_TEST(!text.borrowed());
    BOOST_TEST(text == "a title long enough not to fit in a small string");
    BOOST_TEST(Text("short") == std::string("short"));
    BOOST_TEST(Text(std::string_view("view")) == std::string_view("view"));
    BOOST_TEST(Text().empty());
}

BOOST_AUTO_TEST_CASE(a_borrowed_text_refers_to_its_source_and_a_move_keeps_it_so) {
    const std::string source = "the text of a parsed response, long enough to live on the heap";
    Text borrowed = Text::borrow(source);
    BOOST_TEST(borrowed.borrowed());
    BOOST_TEST(borrowed.data() == source.data());

    const Text moved = std::move(borrowed);
    BOOST_TEST(moved.borrowed());
    BOOST_TEST(moved.data() == source.data());
    BOOST_TEST(moved == source);
}

BOOST_AUTO_TEST_CASE(a_copy_owns_its_characters_and_outlives_the_source) {
    std::vector<Text> copies;
    {
        std::string source = "text that only lives as long as this block, long enough for heap";
        const Text borrowed = Text::borrow(source);
        copies.push_back(borrowed);  // copied, not moved
        Text assigned;
        assigned = borrowed;
        copies.push_back(std::move(assigned));
        BOOST_TEST(!inside(copies[0], source));
        BOOST_TEST(!inside(copies[1], source));
        source.assign(source.size(), 'x');
    }
    for (const Text& copy : copies) {
        BOOST_TEST(!copy.borrowed());
        BOOST_TEST(copy == "text that only lives as long as this block, long enough for heap");
    }
}

BOOST_AUTO_TEST_CASE(an_owned_text_moved_keeps_its_characters_short_or_long) {
    // A short string lives inside the std::string object itself: a move must not leave the
    // text pointing at the old object.
    for (const std::string& source : {std::string("short"), std::string(100, 'y')}) {
        Text original{std::string(source)};
        std::vector<Text> moved;
        moved.push_back(std::move(original));
        moved.reserve(16);  // moves it again
        BOOST_TEST(moved[0] == source);
        BOOST_TEST(!moved[0].borrowed());
    }
}

BOOST_AUTO_TEST_CASE(texts_compare_by_their_characters_whoever_holds_them) {
    const std::string source = "same";
    BOOST_TEST((Text::borrow(source) == Text("same")));
    BOOST_TEST((Text("same") == Text::borrow(source)));
    BOOST_TEST((Text("same") != Text("other")));
    BOOST_TEST((Text("same") != "other"));
    BOOST_TEST(("same" == Text("same")));
    BOOST_TEST((std::string("same") == Text("same")));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(mapping_borrowed_text)

BOOST_AUTO_TEST_CASE(borrowing_maps_clean_strings_in_place_and_owns_what_it_had_to_change) {
    // A NUL is removed (a new text), a location is built from parts, a timestamp is written
    // from seconds, an employment type is normalised: those are owned, the rest borrowed.
    std::string json =
        R"({"job_id": "id-0123456789abcdef", "job_title": "Senior Engineer, Platform team",)"
        R"( "employer_name": "Nul\u0000 Corp", "job_city": "Berlin", "job_country": "DE",)"
        R"( "job_posted_at_timestamp": 1735689600, "job_employment_types": ["FULLTIME"],)"
        R"( "job_description": "A description with \"quotes\" and \\ escapes\n"})";
    rapidjson::Document document;
    document.ParseInsitu(json.data());
    BOOST_TEST_REQUIRE(!document.HasParseError());

    const auto mapped = map_job(document, Texts::borrow);
    BOOST_TEST_REQUIRE(mapped.row.has_value());
    const auto& row = *mapped.row;
    BOOST_TEST(row.job_id.borrowed());
    BOOST_TEST(inside(row.job_id, json));
    BOOST_TEST(row.job_id == "id-0123456789abcdef");
    BOOST_TEST(row.job_title->borrowed());
    BOOST_TEST(inside(*row.job_title, json));
    BOOST_TEST(row.job_description->borrowed());
    BOOST_TEST(*row.job_description == "A description with \"quotes\" and \\ escapes\n");
    BOOST_TEST(row.job_city->borrowed());

    BOOST_TEST(!row.employer_name->borrowed());
    BOOST_TEST(*row.employer_name == "Nul Corp");
    BOOST_TEST(!row.job_location->borrowed());
    BOOST_TEST(*row.job_location == "Berlin, DE");
    BOOST_TEST(!row.job_posted_at_datetime_utc->borrowed());
    BOOST_TEST(*row.job_posted_at_datetime_utc == "2025-01-01T00:00:00.000Z");
    BOOST_TEST(*row.job_employment_type == "FULLTIME");
    BOOST_TEST(row.clean_text);

    // The default copies every text: the same row, nothing borrowed.
    std::string again =
        R"({"job_id": "id-0123456789abcdef", "job_title": "Senior Engineer, Platform team"})";
    rapidjson::Document copied_from;
    copied_from.Parse(again.c_str());
    const auto copied = map_job(copied_from);
    BOOST_TEST_REQUIRE(copied.row.has_value());
    BOOST_TEST(!copied.row->job_id.borrowed());
    BOOST_TEST(!copied.row->job_title->borrowed());
    BOOST_TEST((copied.row->job_title == row.job_title));
}

BOOST_AUTO_TEST_SUITE_END()
