#include "gateway_stack.hpp"

namespace jobsync::testing {

namespace {

std::shared_ptr<PgCluster> shared_cluster() {
    static std::shared_ptr<PgCluster> cluster = std::make_shared<PgCluster>();
    return cluster;
}

}  // namespace

GatewayStack::GatewayStack(bool own_cluster, const std::function<void(GatewayOptions&)>& tune)
    : cluster_(own_cluster ? std::make_shared<PgCluster>() : shared_cluster()),
      superuser_(std::make_unique<PgConnection>(cluster_->superuser_conninfo())),
      transport_(http::make_cpprest_transport()) {
    superuser_->exec(
        "TRUNCATE public.jobs, public.job_sync_runs, public.job_sync_run_shards RESTART IDENTITY");
    GatewayOptions options;
    options.conninfo = cluster_->authenticator_conninfo();
    options.jwt_secret = kJwtSecret;
    if (tune) tune(options);
    gateway_ = std::make_unique<RestGateway>(options);
}

GatewayStack::~GatewayStack() = default;

http::Response GatewayStack::send(const std::string& method, const std::string& path_and_query,
                                  const std::string& body, http::Headers headers) {
    http::Request request;
    request.method = method;
    request.url = gateway_->base_url() + path_and_query;
    request.body = body;
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    request.headers = std::move(headers);
    request.timeout = std::chrono::seconds(20);
    return transport_->send(request);
}

http::Response GatewayStack::send_as_service(const std::string& method,
                                             const std::string& path_and_query,
                                             const std::string& body, http::Headers extra) {
    extra.emplace_back("apikey", secret_key());
    return send(method, path_and_query, body, std::move(extra));
}

std::string GatewayStack::scalar(const std::string& sql) {
    const PgRows rows = superuser_->exec(sql);
    if (rows.rows.empty() || rows.rows[0].empty() || !rows.rows[0][0]) return "NULL";
    return *rows.rows[0][0];
}

}  // namespace jobsync::testing
