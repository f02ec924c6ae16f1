// jsearch-standin: the JSearch stand-in as a process, for `make run` and the end-to-end tests.
// Serves the real fixtures' jobs (or a generated feed) for every query, prints one JSON line
// {"url":..,"api_key":..,"host":..,"jobs":..} and runs until SIGINT/SIGTERM or stdin closes
// (so a parent that dies takes the stand-in with it).
#include "standins/jsearch/jsearch_standin.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cxxopts.hpp>
#include <iostream>

#include "support/serve_until_stopped.hpp"

namespace {

std::string ready_line(const jobsync::testing::JsearchStandin& standin,
                       const jobsync::testing::JsearchStandinOptions& options, std::size_t jobs) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.StartObject();
    writer.Key("url");
    writer.String(standin.base_url().c_str());
    writer.Key("api_key");
    writer.String(options.api_key.c_str());
    writer.Key("host");
    writer.String(options.host.c_str());
    writer.Key("jobs");
    writer.Uint64(jobs);
    writer.EndObject();
    return buffer.GetString();
}

int run(int argc, char** argv) {
    cxxopts::Options cli("jsearch-standin",
                         "A local JSearch (RapidAPI) stand-in serving recorded or generated jobs");
    // clang-format off
    cli.add_options()
        ("port", "Port on 127.0.0.1 (0: a free one)", cxxopts::value<int>()->default_value("0"))
        ("api-key", "The one X-RapidAPI-Key accepted",
         cxxopts::value<std::string>()->default_value("local-jsearch-key"))
        ("host", "The expected X-RapidAPI-Host",
         cxxopts::value<std::string>()->default_value("jsearch.p.rapidapi.com"))
        ("fixtures", "Directory of recorded JSearch responses to serve",
         cxxopts::value<std::string>()->default_value(JOBSYNC_FIXTURES_DIR))
        ("generate", "Serve N generated jobs instead of the fixtures", cxxopts::value<int>())
        ("seed", "Seed for --generate", cxxopts::value<std::string>()->default_value("standin"))
        ("realistic", "With --generate: jobs as big as real ones (about 8 KB each, long "
         "descriptions) instead of compact ones")
        ("quota", "Requests left before 429", cxxopts::value<long>()->default_value("1000"))
        ("latency-ms", "Delay before every reply", cxxopts::value<int>()->default_value("0"))
        ("ignore-stdin", "Do not stop when stdin closes (run in the background)")
        ("h,help", "Show this help");
    // clang-format on
    auto args = cli.parse(argc, argv);
    if (args.count("help")) {
        std::cout << cli.help() << '\n';
        return 0;
    }

    jobsync::testing::block_stop_signals();  // before the server's threads start

    jobsync::testing::JsearchStandinOptions options;
    options.api_key = args["api-key"].as<std::string>();
    options.host = args["host"].as<std::string>();
    options.port = args["port"].as<int>();
    options.quota = args["quota"].as<long>();
    auto jobs = args.count("generate")
                    ? jobsync::testing::generate_jobs(
                          args["generate"].as<int>(), args["seed"].as<std::string>(),
                          args.count("realistic") ? jobsync::testing::JobSizes::realistic
                                                  : jobsync::testing::JobSizes::compact)
                    : jobsync::testing::load_all_fixture_jobs(args["fixtures"].as<std::string>());
    const std::size_t job_count = jobs.size();

    jobsync::testing::JsearchStandin standin(options);
    standin.set_default_jobs(std::move(jobs));
    standin.set_latency(std::chrono::milliseconds(args["latency-ms"].as<int>()));
    std::cout << ready_line(standin, options, job_count) << std::endl;

    jobsync::testing::serve_until_stopped(/*watch_stdin=*/args.count("ignore-stdin") == 0);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "jsearch-standin: " << e.what() << '\n';
        return 2;
    }
}
