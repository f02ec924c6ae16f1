// The credentials config/ reads and the clients send: shared by config, jsearch and postgrest,
// so they live below all three.
#pragma once

#include <string>
#include <utility>

namespace jobsync {

// A secret value. It has no operator<< and no implicit conversion: the only way out is
// reveal(), used where the value goes into a request header, so a stray log line cannot
// print it.
class Secret {
  public:
    Secret() = default;
    explicit Secret(std::string value) : value_(std::move(value)) {}
    const std::string& reveal() const { return value_; }
    bool empty() const { return value_.empty(); }

  private:
    std::string value_;
};

// How Supabase wants the key sent: a legacy JWT goes in `apikey` and `Authorization: Bearer`,
// a new `sb_secret_...` key in `apikey` only.
enum class SupabaseKeyKind { legacy_jwt, secret_key };

}  // namespace jobsync
