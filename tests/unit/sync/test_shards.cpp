// The shard rule (sync/shards.hpp): a documented, fixed hash, stable when queries are added and
// when a shard is added, and balanced.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "sync/shards.hpp"

using namespace jobsync::sync;

namespace {

SearchQuery query(const std::string& text, int pages = 1) {
    SearchQuery q;
    q.text = text;
    q.pages = pages;
    return q;
}

std::vector<SearchQuery> numbered(int count, const std::string& prefix = "query ") {
    std::vector<SearchQuery> queries;
    for (int i = 0; i < count; ++i) queries.push_back(query(prefix + std::to_string(i)));
    return queries;
}

// query text -> shard, for every query.
std::map<std::string, int> split(const std::vector<SearchQuery>& queries, int shard_count) {
    std::map<std::string, int> where;
    for (int shard = 0; shard < shard_count; ++shard) {
        for (const auto& q : queries_of_shard(queries, shard, shard_count)) where[q.text] = shard;
    }
    return where;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(shards)

BOOST_AUTO_TEST_CASE(fnv1a_64_gives_the_published_test_vectors) {
    BOOST_TEST(fnv1a_64("") == 0xcbf29ce484222325ULL);
    BOOST_TEST(fnv1a_64("a") == 0xaf63dc4c8601ec8cULL);
    BOOST_TEST(fnv1a_64("foobar") == 0x85944171f73967e8ULL);
}

// Computed independently (a few lines of Python following the header's description): the split
// must not change between versions, or two workers of one run could disagree.
BOOST_AUTO_TEST_CASE(the_split_is_the_documented_one) {
    BOOST_TEST(shard_key(query("junior python", 3)) ==
               "junior python\x1f"
               "3\x1f"
               "10\x1f\x1f\x1f\x1f");
    const std::vector<std::pair<std::string, std::vector<int>>> expected = {
        {"developer jobs in chicago", {1, 1, 3}},
        {"junior python", {1, 1, 1}},
        {"rust developer in berlin", {0, 0, 0}},
        {"data analyst remote", {1, 2, 2}},
    };
    for (const auto& [text, shards] : expected) {
        BOOST_TEST_CONTEXT(text) {
            for (int n = 2; n <= 4; ++n) {
                BOOST_TEST(shard_of(shard_key(query(text)), n) == shards[n - 2]);
            }
        }
    }
    // The parameters are part of the key: the same text with other pages may go elsewhere.
    BOOST_TEST(shard_of(shard_key(query("developer jobs in chicago", 3)), 4) == 3);
    BOOST_TEST(shard_of(shard_key(query("junior python", 3)), 4) == 0);
}

BOOST_AUTO_TEST_CASE(every_query_goes_to_exactly_one_shard_in_its_original_order) {
    const auto queries = numbered(50);
    std::size_t total = 0;
    for (int shard = 0; shard < 4; ++shard) {
        const auto mine = queries_of_shard(queries, shard, 4);
        total += mine.size();
        for (std::size_t i = 1; i < mine.size(); ++i) {
            BOOST_TEST(std::stoi(mine[i - 1].text.substr(6)) < std::stoi(mine[i].text.substr(6)));
        }
    }
    BOOST_TEST(total == queries.size());
    BOOST_TEST(queries_of_shard(queries, 0, 1).size() == queries.size());
    BOOST_CHECK_THROW(queries_of_shard(queries, 4, 4), std::invalid_argument);
    BOOST_CHECK_THROW(shard_of("x", 0), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(adding_a_query_moves_only_that_query) {
    auto queries = numbered(200);
    const auto before = split(queries, 5);
    queries.insert(queries.begin() + 17, query("a brand new query"));
    const auto after = split(queries, 5);
    BOOST_TEST(after.size() == before.size() + 1);
    for (const auto& [text, shard] : before) {
        BOOST_TEST_CONTEXT(text) { BOOST_TEST(after.at(text) == shard); }
    }
}

BOOST_AUTO_TEST_CASE(adding_a_shard_moves_only_the_queries_the_new_shard_takes) {
    const auto queries = numbered(1000);
    const auto four = split(queries, 4);
    const auto five = split(queries, 5);
    int moved = 0;
    for (const auto& [text, shard] : four) {
        if (five.at(text) == shard) continue;
        ++moved;
        BOOST_TEST_CONTEXT(text) { BOOST_TEST(five.at(text) == 4); }
    }
    // About a fifth move (binomial: 200 +- 13 for one standard deviation).
    BOOST_TEST(moved > 140);
    BOOST_TEST(moved < 260);
}

BOOST_AUTO_TEST_CASE(shards_get_balanced_shares) {
    for (int n : {2, 3, 4, 8}) {
        BOOST_TEST_CONTEXT(n << " shards") {
            const auto where = split(numbered(2000, "software engineer in city "), n);
            std::vector<int> sizes(n);
            for (const auto& [text, shard] : where) ++sizes[shard];
            const double fair = 2000.0 / n;
            for (int size : sizes) {
                // Within 5 standard deviations of a fair binomial split, for any n here.
                BOOST_TEST(std::abs(size - fair) < 5 * std::sqrt(fair));
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
