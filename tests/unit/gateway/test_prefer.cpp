#include <boost/test/unit_test.hpp>

#include "standins/gateway/prefer.hpp"

using namespace jobsync::testing::gateway;

BOOST_AUTO_TEST_SUITE(gateway_prefer)

BOOST_AUTO_TEST_CASE(preferences_are_read_across_headers_and_the_first_one_wins) {
    const Preferences p = parse_preferences({{"Prefer", "resolution=ignore-duplicates"},
                                             {"prefer", " count=exact ,return=representation"},
                                             {"Prefer", "resolution=merge-duplicates"}});
    BOOST_TEST((p.resolution == Resolution::ignore_duplicates));
    BOOST_TEST((p.count == Count::exact));
    BOOST_TEST((p.representation == Return::representation));
    BOOST_TEST(p.invalid.empty());
}

BOOST_AUTO_TEST_CASE(unknown_tokens_are_collected_but_tx_is_known) {
    const Preferences p = parse_preferences({{"Prefer", "tx=rollback, foo, bar=1"}});
    BOOST_TEST_REQUIRE(p.invalid.size() == 2u);
    BOOST_TEST(p.invalid[0] == "foo");
    BOOST_TEST(p.invalid[1] == "bar=1");
}

BOOST_AUTO_TEST_CASE(preference_applied_uses_postgrests_fixed_order) {
    const Preferences p =
        parse_preferences({{"Prefer",
                            "count=exact, return=representation, missing=default, "
                            "resolution=merge-duplicates"}});
    BOOST_TEST(preference_applied(p, Mutation::create, true).value() ==
               "resolution=merge-duplicates, missing=default, return=representation, "
               "count=exact");
}

BOOST_AUTO_TEST_CASE(resolution_is_not_echoed_when_it_could_not_apply_or_on_updates) {
    const Preferences p = parse_preferences({{"Prefer", "resolution=merge-duplicates"}});
    BOOST_TEST(!preference_applied(p, Mutation::create, false).has_value());
    BOOST_TEST(!preference_applied(p, Mutation::update, true).has_value());
}

BOOST_AUTO_TEST_CASE(max_affected_is_echoed_only_with_strict_handling_on_updates) {
    const Preferences lenient = parse_preferences({{"Prefer", "max-affected=5"}});
    BOOST_TEST(!preference_applied(lenient, Mutation::update, false).has_value());
    const Preferences strict = parse_preferences({{"Prefer", "handling=strict, max-affected=5"}});
    BOOST_TEST(preference_applied(strict, Mutation::update, false).value() ==
               "handling=strict, max-affected=5");
}

BOOST_AUTO_TEST_CASE(exact_and_estimated_counts_produce_a_total) {
    BOOST_TEST(should_count(parse_preferences({{"Prefer", "count=exact"}})));
    BOOST_TEST(should_count(parse_preferences({{"Prefer", "count=estimated"}})));
    BOOST_TEST(!should_count(parse_preferences({{"Prefer", "count=planned"}})));
    BOOST_TEST(!should_count(parse_preferences({})));
}

BOOST_AUTO_TEST_SUITE_END()
