// Which queries a shard of a run fetches (pure). A run of N shards splits its query list by
// rendezvous (highest-random-weight) hashing: query q goes to the shard i with the highest
// weight(q, i), where weight is FNV-1a 64 of the query's key, a 0x00 byte and the decimal shard
// index, passed through the SplitMix64 finalizer (FNV-1a alone mixes its last bytes poorly).
// The key is the query text and every parameter sent with it (shard_key), so the rule
// depends on nothing but the query itself and N:
//   - adding or removing a query moves no other query;
//   - going from N to N+1 shards moves only the queries the new shard wins (about 1/(N+1));
//   - every worker, on any machine or version, computes the same split.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ports/ports.hpp"

namespace jobsync::sync {

// FNV-1a, 64 bits (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
std::uint64_t fnv1a_64(std::string_view bytes);

// The SplitMix64 finalizer: spreads every input bit over the whole word.
std::uint64_t mix64(std::uint64_t value);

// The text the rule hashes: the query text and its parameters, separated by 0x1F.
std::string shard_key(const SearchQuery& query);

// Rendezvous weight of `key` on shard `shard`.
std::uint64_t shard_weight(std::string_view key, int shard);

// The shard (0 .. shard_count-1) that fetches `key`; ties go to the lower index.
int shard_of(std::string_view key, int shard_count);

// The queries of shard `shard` of `shard_count`, in their original order.
std::vector<SearchQuery> queries_of_shard(const std::vector<SearchQuery>& queries, int shard,
                                          int shard_count);

}  // namespace jobsync::sync
