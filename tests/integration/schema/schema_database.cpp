#include "schema_database.hpp"

#include <atomic>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace jobsync::testing {

namespace {

std::string conninfo(const std::string& user, const std::string& database) {
    return "host=127.0.0.1 port=" + std::to_string(shared_cluster().port()) + " user=" + user +
           " dbname=" + database + " connect_timeout=5";
}

std::string create_database() {
    static std::atomic<int> counter{0};
    const std::string name = "schema_test_" + std::to_string(++counter);
    PgConnection admin = shared_cluster().connect_superuser();
    admin.exec("CREATE DATABASE " + name);
    return name;
}

}  // namespace

PgCluster& shared_cluster() {
    static PgCluster cluster(PgClusterOptions{false, true});
    return cluster;
}

std::string read_sql_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

SchemaDatabase::SchemaDatabase()
    : name_(create_database()), superuser_(conninfo("postgres", name_)) {
    // Roles are cluster-wide, but schema grants and default privileges live per database.
    superuser_.exec(read_sql_file(JOBSYNC_SOURCE_DIR "/tests/support/supabase_bootstrap.sql"));
}

PgConnection SchemaDatabase::connect_authenticator() const {
    return PgConnection(conninfo("authenticator", name_));
}

void SchemaDatabase::apply_file(const std::string& path) { superuser_.exec(read_sql_file(path)); }

void SchemaDatabase::apply_all_migrations() {
    for (const auto& file : migration_files()) apply_file(file);
}

}  // namespace jobsync::testing
