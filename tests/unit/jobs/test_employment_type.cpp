#include <boost/test/unit_test.hpp>

#include "jobs/employment_type.hpp"

using jobsync::jobs::employment_enum;
using jobsync::jobs::parse_employment_text;
using Types = std::vector<std::string>;

BOOST_AUTO_TEST_SUITE(employment_type)

BOOST_AUTO_TEST_CASE(enum_values_and_display_text_map_to_the_same_enum) {
    BOOST_TEST(*employment_enum("FULLTIME") == "FULLTIME");
    BOOST_TEST(*employment_enum("Full-time") == "FULLTIME");
    BOOST_TEST(*employment_enum(" full time ") == "FULLTIME");
    BOOST_TEST(*employment_enum("Part-time") == "PARTTIME");
    BOOST_TEST(*employment_enum("PARTTIME") == "PARTTIME");
    BOOST_TEST(*employment_enum("Contractor") == "CONTRACTOR");
    BOOST_TEST(*employment_enum("Contract") == "CONTRACTOR");
    BOOST_TEST(*employment_enum("Internship") == "INTERN");
    BOOST_TEST(*employment_enum("Intern") == "INTERN");
}

BOOST_AUTO_TEST_CASE(types_outside_the_enum_are_not_guessed) {
    BOOST_TEST(!employment_enum("Temporary"));
    BOOST_TEST(!employment_enum(""));
    BOOST_TEST(!employment_enum("Full"));
}

BOOST_AUTO_TEST_CASE(display_text_lists_every_type_in_order) {
    BOOST_TEST(parse_employment_text("Full-time, Part-time, and Contractor") ==
                   (Types{"FULLTIME", "PARTTIME", "CONTRACTOR"}),
               boost::test_tools::per_element());
    BOOST_TEST(
        parse_employment_text("Part-time and Contractor") == (Types{"PARTTIME", "CONTRACTOR"}),
        boost::test_tools::per_element());
    BOOST_TEST(parse_employment_text("Internship or Part-time") == (Types{"INTERN", "PARTTIME"}),
               boost::test_tools::per_element());
    BOOST_TEST(parse_employment_text("Full-time") == (Types{"FULLTIME"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(display_text_drops_unknown_parts_and_duplicates) {
    BOOST_TEST(parse_employment_text("Temporary, Full-time, and Full-time") == (Types{"FULLTIME"}),
               boost::test_tools::per_element());
    BOOST_TEST(parse_employment_text("Temporary").empty());
    BOOST_TEST(parse_employment_text("").empty());
}

BOOST_AUTO_TEST_SUITE_END()
