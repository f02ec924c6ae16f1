// A throwaway PostgreSQL cluster: initdb into a temp dir, loopback only, a free port,
// fsync=off; Supabase's roles and grants; the migrations in schema/ applied. Torn down (server
// stopped, directory removed) by the destructor, also when a test fails. As root it runs the
// server as the `postgres` user, since PostgreSQL refuses to run as root.
// Environment: JOBSYNC_PG_BINDIR overrides where initdb/pg_ctl are found (default: pg_config
// --bindir, then /usr/lib/postgresql/*/bin); JOBSYNC_PG_TMPDIR where clusters live (default:
// /dev/shm when roomy, else the temp dir). Clusters left by a crashed test process are removed
// by the next one.
#pragma once

#include <string>
#include <vector>

#include "support/pg.hpp"

namespace jobsync::testing {

struct PgClusterOptions {
    bool apply_schema = true;    // apply schema/*.sql in name order after bootstrap
    bool supabase_roles = true;  // create anon, authenticated, service_role, authenticator
};

class PgCluster {
  public:
    explicit PgCluster(PgClusterOptions options = {});
    ~PgCluster();
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    int port() const { return port_; }
    // libpq conninfo for the superuser (`postgres`) on database `postgres`.
    std::string superuser_conninfo() const;
    // libpq conninfo for the `authenticator` login role (what PostgREST connects as).
    std::string authenticator_conninfo() const;
    PgConnection connect_superuser() const;

    // Applies every schema/*.sql file in name order (again); throws PgError on failure.
    void apply_migrations() const;

    // Stops the server now (to test "the database goes away mid-run"); idempotent.
    void stop();
    // Starts a stopped server again on the same port, with its data intact.
    void start();

  private:
    void launch(bool keep_port);  // pg_ctl start; a new free port unless keep_port
    std::string dir_;
    int port_ = 0;
    bool running_ = false;
};

// The migration files in schema/, sorted by name (absolute paths).
std::vector<std::string> migration_files();

}  // namespace jobsync::testing
