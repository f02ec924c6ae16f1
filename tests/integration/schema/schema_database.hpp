// One PostgreSQL cluster shared by the schema tests, and a fresh database in it per test, so
// each test starts from a known state without paying for a cluster start-up.
#pragma once

#include <memory>
#include <string>

#include "support/pg_cluster.hpp"

namespace jobsync::testing {

// The cluster with Supabase's roles but without the migrations; created on first use and
// torn down at exit.
PgCluster& shared_cluster();

std::string read_sql_file(const std::string& path);

// A new database in the shared cluster with Supabase's per-database setup (schema grants and
// default privileges from supabase_bootstrap.sql) applied, and nothing else.
class SchemaDatabase {
  public:
    SchemaDatabase();

    const std::string& name() const { return name_; }
    PgConnection& superuser() { return superuser_; }
    // Logged in as `authenticator`, the role PostgREST connects as.
    PgConnection connect_authenticator() const;

    void apply_file(const std::string& path);
    void apply_all_migrations();

  private:
    std::string name_;
    PgConnection superuser_;
};

}  // namespace jobsync::testing
