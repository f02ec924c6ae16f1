// A throwaway PostgreSQL (schema/ applied) with the gateway in front of it, and a real HTTP
// client (the service's cpprest transport) to talk to it. One cluster serves every test of
// the binary; each test starts from an empty jobs table and an empty run history.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "http/transport.hpp"
#include "standins/gateway/gateway.hpp"
#include "support/pg_cluster.hpp"

namespace jobsync::testing {

class GatewayStack {
  public:
    static constexpr const char* kJwtSecret = "gateway-test-jwt-secret-long-enough-for-hs256";

    // `own_cluster`: a private cluster (for tests that stop it) instead of the shared one;
    // `tune` adjusts the gateway's options (body limit, statement timeout) before it starts.
    explicit GatewayStack(bool own_cluster = false,
                          const std::function<void(GatewayOptions&)>& tune = {});
    ~GatewayStack();

    PgCluster& cluster() { return *cluster_; }
    RestGateway& gateway() { return *gateway_; }
    PgConnection& superuser() { return *superuser_; }

    // `path_and_query` is appended to base_url(), e.g. "/rest/v1/jobs?select=id".
    http::Response send(const std::string& method, const std::string& path_and_query,
                        const std::string& body = "", http::Headers headers = {});
    // As service_role via the secret key, the way job-sync sends it (apikey only).
    http::Response send_as_service(const std::string& method, const std::string& path_and_query,
                                   const std::string& body = "", http::Headers extra = {});

    std::string secret_key() const { return GatewayOptions{}.secret_key; }
    std::string publishable_key() const { return GatewayOptions{}.publishable_key; }

    // The single text value `sql` returns (superuser), or "NULL".
    std::string scalar(const std::string& sql);

  private:
    std::shared_ptr<PgCluster> cluster_;
    std::unique_ptr<PgConnection> superuser_;
    std::unique_ptr<RestGateway> gateway_;
    std::unique_ptr<http::Transport> transport_;
};

}  // namespace jobsync::testing
