// The throwaway cluster itself: it starts with Supabase's roles, answers on loopback, and
// leaves nothing behind.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <string>

#include "schema_database.hpp"
#include "support/pg_cluster.hpp"

namespace jobsync::testing {
namespace {

namespace fs = std::filesystem;

std::string scalar(PgConnection& connection, const std::string& sql) {
    const PgRows result = connection.exec(sql);
    BOOST_REQUIRE_EQUAL(result.rows.size(), 1u);
    BOOST_REQUIRE_EQUAL(result.columns.size(), 1u);
    return result.rows[0][0].value_or("<null>");
}

BOOST_AUTO_TEST_SUITE(pg_cluster)

BOOST_AUTO_TEST_CASE(destructor_stops_the_server_and_removes_its_directory) {
    std::string conninfo;
    fs::path cluster_dir;
    {
        PgCluster cluster(PgClusterOptions{false, false});
        PgConnection connection = cluster.connect_superuser();
        cluster_dir = fs::path(scalar(connection, "SHOW data_directory")).parent_path();
        BOOST_TEST(fs::exists(cluster_dir));
        BOOST_TEST(scalar(connection, "SELECT 40 + 2") == "42");
        conninfo = cluster.superuser_conninfo();
    }
    BOOST_TEST(!fs::exists(cluster_dir));
    try {
        PgConnection after(conninfo);
        BOOST_FAIL("the server still accepts connections after the cluster was destroyed");
    } catch (const PgError& error) {
        BOOST_TEST(error.sqlstate() == "08001");
    }
}

BOOST_AUTO_TEST_CASE(server_listens_on_loopback_with_fsync_off) {
    PgCluster& cluster = shared_cluster();
    PgConnection connection = cluster.connect_superuser();
    BOOST_TEST(scalar(connection, "SHOW listen_addresses") == "127.0.0.1");
    BOOST_TEST(scalar(connection, "SHOW fsync") == "off");
    BOOST_TEST(scalar(connection, "SHOW port") == std::to_string(cluster.port()));
    BOOST_TEST(scalar(connection, "SHOW server_encoding") == "UTF8");
}

BOOST_AUTO_TEST_CASE(stop_closes_connections_and_is_idempotent) {
    PgCluster cluster(PgClusterOptions{false, false});
    PgConnection connection = cluster.connect_superuser();
    cluster.stop();
    cluster.stop();
    try {
        connection.exec("SELECT 1");
        BOOST_FAIL("a query succeeded on a stopped server");
    } catch (const PgError& error) {
        BOOST_TEST(error.sqlstate() == "08006");  // connection lost
    }
    BOOST_TEST(!connection.ok());
    BOOST_CHECK_THROW(cluster.connect_superuser(), PgError);
}

BOOST_AUTO_TEST_CASE(bootstrap_creates_supabase_roles_and_authenticator_can_switch_to_them) {
    PgCluster& cluster = shared_cluster();  // Supabase roles, no migrations
    PgConnection superuser = cluster.connect_superuser();
    const PgRows roles = superuser.exec(
        "SELECT rolname, rolcanlogin::text AS login, rolbypassrls::text AS bypass, "
        "rolinherit::text AS inherit FROM pg_roles "
        "WHERE rolname IN ('anon', 'authenticated', 'service_role', 'authenticator') "
        "ORDER BY rolname");
    BOOST_REQUIRE_EQUAL(roles.rows.size(), 4u);
    BOOST_TEST(*roles.at(0, "rolname") == "anon");
    BOOST_TEST(*roles.at(0, "login") == "false");
    BOOST_TEST(*roles.at(0, "bypass") == "false");
    BOOST_TEST(*roles.at(1, "rolname") == "authenticated");
    BOOST_TEST(*roles.at(1, "login") == "false");
    BOOST_TEST(*roles.at(2, "rolname") == "authenticator");
    BOOST_TEST(*roles.at(2, "login") == "true");
    BOOST_TEST(*roles.at(2, "inherit") == "false");
    BOOST_TEST(*roles.at(3, "rolname") == "service_role");
    BOOST_TEST(*roles.at(3, "bypass") == "true");

    PgConnection authenticator(cluster.authenticator_conninfo());
    for (const char* role : {"anon", "authenticated", "service_role"}) {
        authenticator.exec(std::string("SET ROLE ") + role);
        BOOST_TEST(scalar(authenticator, "SELECT current_user") == role);
        authenticator.exec("RESET ROLE");
    }
    authenticator.exec("SET ROLE anon");
    BOOST_TEST(scalar(authenticator, "SHOW statement_timeout") == "8s");  // session role's
    authenticator.exec("RESET ROLE");

    // PostgREST applies the impersonated role's own settings per transaction.
    const PgRows timeouts = superuser.exec(
        "SELECT r.rolname, s.setconfig::text AS config FROM pg_db_role_setting s "
        "JOIN pg_roles r ON r.oid = s.setrole ORDER BY r.rolname");
    BOOST_REQUIRE_EQUAL(timeouts.rows.size(), 3u);
    BOOST_TEST(*timeouts.at(0, "rolname") == "anon");
    BOOST_TEST(*timeouts.at(0, "config") == "{statement_timeout=3s}");
    BOOST_TEST(*timeouts.at(1, "rolname") == "authenticated");
    BOOST_TEST(*timeouts.at(1, "config") == "{statement_timeout=8s}");
}

BOOST_AUTO_TEST_CASE(failed_statement_carries_sqlstate_message_and_detail) {
    SchemaDatabase database;
    PgConnection& connection = database.superuser();
    connection.exec("CREATE TABLE t (k text PRIMARY KEY)");
    connection.exec_params("INSERT INTO t VALUES ($1)", {std::string("a")});
    try {
        connection.exec_params("INSERT INTO t VALUES ($1)", {std::string("a")});
        BOOST_FAIL("a duplicate key was accepted");
    } catch (const PgError& error) {
        BOOST_TEST(error.sqlstate() == "23505");
        BOOST_TEST(error.message() == "duplicate key value violates unique constraint \"t_pkey\"");
        BOOST_TEST(error.detail() == "Key (k)=(a) already exists.");
        BOOST_TEST(error.hint().empty());
    }
    const PgRows null_row = connection.exec_params("SELECT $1::text AS v", {std::nullopt});
    BOOST_TEST(!null_row.at(0, "v").has_value());
    const PgRows updated = connection.exec("UPDATE t SET k = 'b'");
    BOOST_TEST(updated.affected == 1);
    BOOST_CHECK_THROW(updated.at(0, "missing"), std::out_of_range);
}

BOOST_AUTO_TEST_CASE(connecting_to_a_closed_port_fails_with_sqlstate_08001) {
    try {
        PgConnection connection("host=127.0.0.1 port=1 user=postgres connect_timeout=2");
        BOOST_FAIL("connected to port 1");
    } catch (const PgError& error) {
        BOOST_TEST(error.sqlstate() == "08001");
        BOOST_TEST(error.message().find("cannot connect") != std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace jobsync::testing
