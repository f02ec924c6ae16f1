// rest-gateway: the Supabase `/rest/v1` stand-in as a process, for `make run`, the
// supabase-js conformance tests and manual poking.
//
//   rest-gateway serve --conninfo "host=... user=authenticator" --jwt-secret S [--port N]
//   rest-gateway serve --temp-postgres     # its own throwaway PostgreSQL with schema/ applied
//   rest-gateway mint-jwt --secret S --role anon [--ttl-seconds N]
//
// `serve` prints one JSON line {"url","jwt_secret","anon_key","service_role_key","secret_key",
// "publishable_key","conninfo"} on stdout, logs requests (method and path only) to stderr, and
// runs until SIGINT/SIGTERM or until stdin closes (so a parent that dies takes it down; pass
// --ignore-stdin to run it in the background). The keys are throwaway local ones: the JWT
// secret is random per run unless given.
#include <openssl/rand.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cxxopts.hpp>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "standins/gateway/gateway.hpp"
#include "support/pg_cluster.hpp"
#include "support/serve_until_stopped.hpp"

namespace {

using jobsync::testing::GatewayOptions;
using jobsync::testing::mint_jwt;

std::string random_secret() {
    unsigned char bytes[32];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

std::string ready_line(const std::string& url, const GatewayOptions& options,
                       const std::string& conninfo) {
    const std::pair<const char*, std::string> fields[] = {
        {"url", url},
        {"jwt_secret", options.jwt_secret},
        {"anon_key", mint_jwt(options.jwt_secret, "anon")},
        {"service_role_key", mint_jwt(options.jwt_secret, "service_role")},
        {"secret_key", options.secret_key},
        {"publishable_key", options.publishable_key},
        {"conninfo", conninfo},
    };
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    for (const auto& [key, value] : fields) {
        writer.Key(key);
        writer.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
    }
    writer.EndObject();
    return buffer.GetString();
}

int serve(int argc, char** argv) {
    cxxopts::Options cli("rest-gateway serve",
                         "Supabase /rest/v1 (gateway + PostgREST) stand-in over PostgreSQL");
    const GatewayOptions defaults;
    cli.add_options()("conninfo", "libpq conninfo of the authenticator login role",
                      cxxopts::value<std::string>())(
        "temp-postgres", "Start a throwaway PostgreSQL with schema/ applied")(
        "jwt-secret", "HS256 secret (default with --temp-postgres: random)",
        cxxopts::value<std::string>())("port", "Port on 127.0.0.1 (0: a free one)",
                                       cxxopts::value<int>()->default_value("0"))(
        "secret-key", "The sb_secret_ key (-> service_role)",
        cxxopts::value<std::string>()->default_value(defaults.secret_key))(
        "publishable-key", "The sb_publishable_ key (-> anon)",
        cxxopts::value<std::string>()->default_value(defaults.publishable_key))(
        "no-safeupdate", "Allow unfiltered PATCH/DELETE (Supabase refuses them)")(
        "max-body-bytes", "Answer 413 like nginx for larger bodies (0: no limit)",
        cxxopts::value<std::size_t>()->default_value("0"))(
        "statement-timeout-ms", "statement_timeout for the service role's requests (0: the role's)",
        cxxopts::value<long>()->default_value("0"))(
        "ignore-stdin", "Do not stop when stdin closes (run in the background)")("h,help",
                                                                                 "Show this help");
    auto args = cli.parse(argc, argv);
    if (args.count("help")) {
        std::cout << cli.help() << '\n';
        return 0;
    }
    const bool temp_postgres = args.count("temp-postgres") > 0;
    if (temp_postgres == (args.count("conninfo") > 0)) {
        throw std::invalid_argument("give exactly one of --conninfo and --temp-postgres");
    }
    if (!temp_postgres && !args.count("jwt-secret")) {
        throw std::invalid_argument("--jwt-secret is required with --conninfo");
    }

    jobsync::testing::block_stop_signals();  // before PostgreSQL's and the server's threads

    std::unique_ptr<jobsync::testing::PgCluster> cluster;
    GatewayOptions options;
    std::string printed_conninfo;
    if (temp_postgres) {
        std::cerr << "rest-gateway: starting a throwaway PostgreSQL\n";
        cluster = std::make_unique<jobsync::testing::PgCluster>();
        options.conninfo = cluster->authenticator_conninfo();
        printed_conninfo = cluster->superuser_conninfo();
    } else {
        options.conninfo = args["conninfo"].as<std::string>();
        printed_conninfo = options.conninfo;
    }
    options.jwt_secret =
        args.count("jwt-secret") ? args["jwt-secret"].as<std::string>() : random_secret();
    options.secret_key = args["secret-key"].as<std::string>();
    options.publishable_key = args["publishable-key"].as<std::string>();
    options.safeupdate = args.count("no-safeupdate") == 0;
    options.port = args["port"].as<int>();
    options.max_body_bytes = args["max-body-bytes"].as<std::size_t>();
    options.statement_timeout = std::chrono::milliseconds(args["statement-timeout-ms"].as<long>());

    jobsync::testing::RestGateway gateway(options);
    gateway.set_before_request([](const jobsync::testing::RecordedRequest& request) {
        std::cerr << "rest-gateway: " << request.method << ' ' << request.path << '\n';
    });
    std::cout << ready_line(gateway.base_url(), options, printed_conninfo) << std::endl;
    std::cerr << "rest-gateway: serving " << gateway.base_url() << "/rest/v1/\n";

    jobsync::testing::serve_until_stopped(/*watch_stdin=*/args.count("ignore-stdin") == 0);
    std::cerr << "rest-gateway: stopping\n";
    return 0;  // the gateway, then the cluster, are torn down on the way out
}

int mint(int argc, char** argv) {
    cxxopts::Options cli("rest-gateway mint-jwt", "Print an HS256 JWT for a role");
    cli.add_options()("secret", "HS256 secret", cxxopts::value<std::string>())(
        "role", "Role claim (anon, authenticated, service_role)", cxxopts::value<std::string>())(
        "ttl-seconds", "Lifetime", cxxopts::value<long>()->default_value("31536000"))(
        "h,help", "Show this help");
    auto args = cli.parse(argc, argv);
    if (args.count("help")) {
        std::cout << cli.help() << '\n';
        return 0;
    }
    if (!args.count("secret") || !args.count("role")) {
        throw std::invalid_argument("--secret and --role are required");
    }
    std::cout << mint_jwt(args["secret"].as<std::string>(), args["role"].as<std::string>(),
                          std::chrono::seconds(args["ttl-seconds"].as<long>()))
              << '\n';
    return 0;
}

int run(int argc, char** argv) {
    const std::string usage =
        "usage: rest-gateway serve (--conninfo C --jwt-secret S | --temp-postgres) [options]\n"
        "       rest-gateway mint-jwt --secret S --role R [--ttl-seconds N]\n"
        "       rest-gateway <command> --help\n";
    if (argc < 2) {
        std::cerr << usage;
        return 2;
    }
    const std::string command = argv[1];
    if (command == "serve") return serve(argc - 1, argv + 1);
    if (command == "mint-jwt") return mint(argc - 1, argv + 1);
    if (command == "-h" || command == "--help") {
        std::cout << usage;
        return 0;
    }
    std::cerr << "rest-gateway: unknown command '" << command << "'\n" << usage;
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "rest-gateway: " << e.what() << '\n';
        return 2;
    }
}
