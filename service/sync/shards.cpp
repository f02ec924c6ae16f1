#include "sync/shards.hpp"

#include <stdexcept>

namespace jobsync::sync {

std::uint64_t fnv1a_64(std::string_view bytes) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

std::uint64_t mix64(std::uint64_t value) {
    value ^= value >> 30;
    value *= 0xbf58476d1ce4e5b9ULL;
    value ^= value >> 27;
    value *= 0x94d049bb133111ebULL;
    value ^= value >> 31;
    return value;
}

std::string shard_key(const SearchQuery& query) {
    constexpr char kSeparator = '\x1f';
    std::string key = query.text;
    for (const std::string& part :
         {std::to_string(query.pages), std::to_string(query.pages_per_request), query.country,
          query.date_posted, query.employment_types,
          std::string(query.remote_only ? "remote" : "")}) {
        key += kSeparator;
        key += part;
    }
    return key;
}

std::uint64_t shard_weight(std::string_view key, int shard) {
    std::string text(key);
    text += '\0';
    text += std::to_string(shard);
    return mix64(fnv1a_64(text));
}

int shard_of(std::string_view key, int shard_count) {
    if (shard_count < 1) throw std::invalid_argument("shard count must be at least 1");
    int best = 0;
    std::uint64_t best_weight = shard_weight(key, 0);
    for (int shard = 1; shard < shard_count; ++shard) {
        const std::uint64_t weight = shard_weight(key, shard);
        if (weight > best_weight) {
            best = shard;
            best_weight = weight;
        }
    }
    return best;
}

std::vector<SearchQuery> queries_of_shard(const std::vector<SearchQuery>& queries, int shard,
                                          int shard_count) {
    if (shard < 0 || shard >= shard_count) throw std::invalid_argument("shard out of range");
    std::vector<SearchQuery> mine;
    for (const auto& query : queries) {
        if (shard_of(shard_key(query), shard_count) == shard) mine.push_back(query);
    }
    return mine;
}

}  // namespace jobsync::sync
