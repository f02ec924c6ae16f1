// The jsearch-standin process as `make run` and the end-to-end tests use it: one ready line on
// stdout, the fixtures served for any query, and an exit when stdin closes.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "integration/jsearch/standin_client.hpp"

namespace jobsync::testing {

namespace {

const std::string kTool = std::string(JOBSYNC_BINARY_DIR) + "/jsearch-standin";

struct ToolProcess {
    pid_t pid = -1;
    int stdin_fd = -1;
    int stdout_fd = -1;

    explicit ToolProcess(std::vector<std::string> args) {
        int in[2];
        int out[2];
        BOOST_REQUIRE(pipe(in) == 0 && pipe(out) == 0);
        // Built before fork(): the child of a threaded process may only exec.
        std::vector<char*> argv{const_cast<char*>(kTool.c_str())};
        for (auto& arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);
        pid = fork();
        BOOST_REQUIRE(pid >= 0);
        if (pid == 0) {
            dup2(in[0], STDIN_FILENO);
            dup2(out[1], STDOUT_FILENO);
            close(in[1]);
            close(out[0]);
            execv(kTool.c_str(), argv.data());
            _exit(127);
        }
        close(in[0]);
        close(out[1]);
        stdin_fd = in[1];
        stdout_fd = out[0];
    }

    ~ToolProcess() {
        if (stdin_fd >= 0) close(stdin_fd);
        if (pid > 0 && !exited_within(std::chrono::seconds(5))) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
        close(stdout_fd);
    }

    std::string read_line(std::chrono::milliseconds timeout) {
        std::string line;
        char c;
        while (true) {
            pollfd fd{stdout_fd, POLLIN, 0};
            if (poll(&fd, 1, static_cast<int>(timeout.count())) <= 0) return line;
            if (read(stdout_fd, &c, 1) != 1 || c == '\n') return line;
            line += c;
        }
    }

    bool exited_within(std::chrono::milliseconds limit) {
        auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            if (waitpid(pid, nullptr, WNOHANG) == pid) {
                pid = -1;
                return true;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    }
};

bool tool_is_built(boost::unit_test::test_unit_id) { return std::filesystem::exists(kTool); }

}  // namespace

BOOST_AUTO_TEST_SUITE(jsearch_standin_tool)

BOOST_AUTO_TEST_CASE(the_tool_prints_its_url_serves_the_fixtures_and_exits_when_stdin_closes,
                     *boost::unit_test::precondition(tool_is_built)) {
    ToolProcess tool({"--quota", "7"});
    auto ready = parse_json(tool.read_line(std::chrono::seconds(10)));
    const std::string url = string_member(ready, "url");
    BOOST_TEST(url.rfind("http://127.0.0.1:", 0) == 0u);
    BOOST_TEST(string_member(ready, "api_key") == "local-jsearch-key");

    auto transport = http::make_cpprest_transport();
    http::Request request{"GET", url + "/search?query=anything&num_pages=2", kGoodHeaders, "",
                          std::chrono::seconds(10)};
    auto response = transport->send(request);
    BOOST_TEST(response.status == 200);
    auto ids = job_ids_of(response);
    auto fixtures = job_ids_of(load_all_fixture_jobs());
    BOOST_TEST(ids == slice(fixtures, 0, 20), boost::test_tools::per_element());
    BOOST_TEST(response.header("x-ratelimit-requests-remaining").value_or("") == "5");

    close(tool.stdin_fd);
    tool.stdin_fd = -1;
    BOOST_TEST(tool.exited_within(std::chrono::seconds(5)));
}

BOOST_AUTO_TEST_CASE(the_tool_serves_a_generated_feed_on_request,
                     *boost::unit_test::precondition(tool_is_built)) {
    ToolProcess tool({"--generate", "15", "--seed", "tool", "--api-key", "k"});
    auto ready = parse_json(tool.read_line(std::chrono::seconds(10)));
    auto transport = http::make_cpprest_transport();
    http::Request request{"GET",
                          string_member(ready, "url") + "/search?query=x&page=2",
                          {{"X-RapidAPI-Key", "k"}, {"X-RapidAPI-Host", "jsearch.p.rapidapi.com"}},
                          "",
                          std::chrono::seconds(10)};
    auto response = transport->send(request);
    BOOST_TEST(response.status == 200);
    BOOST_TEST(job_ids_of(response) == slice(job_ids_of(generate_jobs(15, "tool")), 10, 15),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace jobsync::testing
