// The block scan (text/word_scan.hpp) against a byte-by-byte reading: every byte value at
// every position of a 16-byte block, with and without stopping at bytes of 0x80 and up, for
// the SSE2 version and the two-word one used without it; and the skip the loops share.
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <string>

#include "text/word_scan.hpp"

namespace word = jobsync::text::word;

namespace {

bool stops_at(unsigned char byte, bool or_high) {
    return byte < 0x20 || byte == '"' || byte == '\\' || (or_high && byte >= 0x80);
}

std::size_t plain_prefix_bytewise(const std::string& block, bool or_high) {
    std::size_t at = 0;
    while (at < block.size() && !stops_at(static_cast<unsigned char>(block[at]), or_high)) ++at;
    return at;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(word_scan)

BOOST_AUTO_TEST_CASE(a_block_stops_where_a_byte_by_byte_scan_stops) {
    for (const bool or_high : {false, true}) {
        for (int value = 0; value < 256; ++value) {
            for (std::size_t at = 0; at < word::kBlock; ++at) {
                // Plain text before the byte, and a stopping byte after it, which must not
                // be found first.
                std::string block(word::kBlock, 'a');
                block[at] = static_cast<char>(value);
                if (at + 1 < word::kBlock) block[word::kBlock - 1] = '"';
                const std::size_t expected = plain_prefix_bytewise(block, or_high);
                BOOST_TEST(word::plain_prefix(block.data(), or_high) == expected,
                           "byte " << value << " at " << at << (or_high ? ", or_high" : ""));
                BOOST_TEST(word::plain_prefix_words(block.data(), or_high) == expected,
                           "words: byte " << value << " at " << at << (or_high ? ", or_high" : ""));
            }
        }
    }
    const std::string plain(word::kBlock, 'a');
    BOOST_TEST(word::plain_prefix(plain.data(), true) == word::kBlock);
    const std::string utf8 = "caf\xC3\xA9 \xE2\x80\xA2 bullets!";
    BOOST_TEST(word::plain_prefix(utf8.data(), false) == word::kBlock);
    BOOST_TEST(word::plain_prefix(utf8.data(), true) == 3u);
}

BOOST_AUTO_TEST_CASE(skip_plain_stops_at_the_first_stop_or_where_fewer_than_8_bytes_are_left) {
    // Text of every length up to 48 with one stopping byte at every position (or none): the
    // skip takes blocks of 16 while 16 are left, then one word of 8 if 8 are, so it ends at
    // the stop if it saw it, else where it stopped looking.
    for (std::size_t size = 0; size <= 48; ++size) {
        const std::size_t looked_at = size / 16 * 16 + (size % 16 >= 8 ? 8 : 0);
        for (std::size_t stop = 0; stop <= size; ++stop) {
            for (const bool or_high : {false, true}) {
                std::string text(size, 'a');
                if (stop < size) text[stop] = or_high ? '\xC3' : '\\';
                const char* begin = text.data();
                const auto skipped = static_cast<std::size_t>(
                    word::skip_plain(begin, begin + size, or_high) - begin);
                BOOST_TEST(skipped == std::min(stop, looked_at),
                           "size " << size << ", stop at " << stop << (or_high ? ", or_high" : ""));
            }
        }
    }
    // Without or_high a UTF-8 byte is plain.
    const std::string utf8(32, '\xC3');
    BOOST_TEST(word::skip_plain(utf8.data(), utf8.data() + utf8.size(), false) ==
               utf8.data() + utf8.size());
}

BOOST_AUTO_TEST_CASE(all_ascii_sees_any_high_byte_and_with_or_nul_any_nul) {
    for (auto* all_ascii : {&word::all_ascii, &word::all_ascii_words}) {
        for (std::size_t at = 0; at < word::kBlock; ++at) {
            std::string block(word::kBlock, 'a');
            BOOST_TEST(all_ascii(block.data(), true));
            block[at] = '\x80';
            BOOST_TEST(!all_ascii(block.data(), false));
            block[at] = '\xFF';
            BOOST_TEST(!all_ascii(block.data(), false));
            block[at] = '\0';
            BOOST_TEST(all_ascii(block.data(), false));
            BOOST_TEST(!all_ascii(block.data(), true));
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
