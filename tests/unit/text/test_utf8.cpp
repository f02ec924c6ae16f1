#include <boost/test/unit_test.hpp>
#include <string>

#include "text/utf8.hpp"

using jobsync::text::is_clean_utf8;
using jobsync::text::is_valid_utf8;

BOOST_AUTO_TEST_SUITE(utf8)

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
        const std::string nul = head + std::string(1, '\0') + tail;
        BOOST_TEST(is_valid_utf8(nul));
        BOOST_TEST(!is_clean_utf8(nul));
    }
    BOOST_TEST(!is_valid_utf8(ascii + "\xE2\x80"));  // cut short at the very end
}

BOOST_AUTO_TEST_CASE(cleaning_drops_nul_and_replaces_each_broken_byte) {
    using jobsync::text::to_clean_utf8;
    BOOST_TEST(is_clean_utf8("M\xC3\xBCnchen"));
    BOOST_TEST(!is_clean_utf8(std::string("a\0b", 3)));
    BOOST_TEST(to_clean_utf8(std::string("a\0b", 3)) == "ab");
    // A sequence cut short: one U+FFFD per byte, and the ASCII after it kept.
    BOOST_TEST(to_clean_utf8("x\xE2\x80y") == "x\xEF\xBF\xBD\xEF\xBF\xBDy");
    BOOST_TEST(to_clean_utf8("\xC3\xBC\xFF") == "\xC3\xBC\xEF\xBF\xBD");
}

BOOST_AUTO_TEST_CASE(sequences_at_a_byte_are_measured_up_to_the_next_ascii_or_broken_one) {
    using jobsync::text::utf8_sequences_at;
    BOOST_TEST(utf8_sequences_at("\xE2\x80\xA2 x") == 3u);     // a bullet, then ASCII
    BOOST_TEST(utf8_sequences_at("\xC3\xBC\xC3\xA9") == 4u);   // two within the window
    BOOST_TEST(utf8_sequences_at("\xF0\x9F\x9A\x80z") == 4u);  // a rocket
    BOOST_TEST(utf8_sequences_at("\xC3\xBC\xFF") == 2u);       // stops before the broken byte
    BOOST_TEST(utf8_sequences_at("\xFF") == 0u);
    BOOST_TEST(utf8_sequences_at("\xE2\x80") == 0u);      // cut short
    BOOST_TEST(utf8_sequences_at("\xED\xA0\x80") == 0u);  // UTF-16 surrogate
}

BOOST_AUTO_TEST_SUITE_END()
