// TLS against a loopback HTTPS JSearch stand-in with certificates made by the test (openssl):
// an untrusted certificate is refused and not retried, --ca-file or SSL_CERT_FILE makes the
// same run succeed, and a certificate for another host name is refused.
#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>

#include "integration/service/service_stack.hpp"

using namespace jobsync::testing;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// A self-signed certificate (P-256) for `subject_alt_names`, e.g. "IP:127.0.0.1,DNS:localhost".
TlsFiles make_certificate(const std::filesystem::path& dir, const std::string& name,
                          const std::string& subject_alt_names) {
    std::filesystem::create_directories(dir);
    TlsFiles files{(dir / (name + ".crt")).string(), (dir / (name + ".key")).string()};
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
        "-subj /CN=" +
        name + " -addext subjectAltName=" + subject_alt_names + " -keyout " +
        files.private_key_file + " -out " + files.certificate_file + " 2>/dev/null";
    BOOST_TEST_REQUIRE(std::system(command.c_str()) == 0);
    return files;
}

struct TlsFixture {
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("job-sync-tls-" + std::to_string(::getpid()));
    TlsFiles loopback = make_certificate(dir, "localhost", "IP:127.0.0.1,DNS:localhost");
    TlsFiles other = make_certificate(dir, "other.example", "DNS:other.example");
    ServiceStack stack;

    std::unique_ptr<JsearchStandin> https_jsearch(const TlsFiles& files) {
        JsearchStandinOptions options;
        options.tls = files;
        auto standin = std::make_unique<JsearchStandin>(options);
        standin->set_jobs(ServiceStack::kChicago, ServiceStack::chicago_jobs());
        standin->set_jobs(ServiceStack::kPython, ServiceStack::python_jobs());
        return standin;
    }
    ~TlsFixture() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(tls)

BOOST_FIXTURE_TEST_CASE(an_untrusted_certificate_is_refused_naming_verification_not_retried,
                        TlsFixture) {
    auto jsearch = https_jsearch(loopback);
    const auto result = stack.sync({}, {{"JSEARCH_BASE_URL", jsearch->base_url()}});
    BOOST_TEST_INFO(result.out << result.log);
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(contains(result.out, "TLS certificate verification failed (not retried)"));
    BOOST_TEST(jsearch->requests().empty());
    BOOST_TEST(stack.sleeper().sleeps.empty());
    BOOST_TEST(contains(result.out, "sweep skipped"));
}

BOOST_FIXTURE_TEST_CASE(ca_file_trusting_the_certificate_makes_the_same_run_succeed, TlsFixture) {
    auto jsearch = https_jsearch(loopback);
    const auto result = stack.sync({"--ca-file", loopback.certificate_file},
                                   {{"JSEARCH_BASE_URL", jsearch->base_url()}});
    BOOST_TEST_INFO(result.out << result.log);
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST(jsearch->requests().size() == 2u);
    BOOST_TEST(stack.count("is_active") == 20);
}

BOOST_FIXTURE_TEST_CASE(ssl_cert_file_trusting_the_certificate_works_too, TlsFixture) {
    auto jsearch = https_jsearch(loopback);
    // OpenSSL reads it from the process environment when it loads the default trust store.
    ::setenv("SSL_CERT_FILE", loopback.certificate_file.c_str(), 1);
    const auto result = stack.sync({}, {{"JSEARCH_BASE_URL", jsearch->base_url()}});
    ::unsetenv("SSL_CERT_FILE");
    BOOST_TEST_INFO(result.out << result.log);
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST(jsearch->requests().size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(a_trusted_certificate_for_another_host_name_is_refused, TlsFixture) {
    auto jsearch = https_jsearch(other);
    const auto result = stack.sync({"--ca-file", other.certificate_file},
                                   {{"JSEARCH_BASE_URL", jsearch->base_url()}});
    BOOST_TEST_INFO(result.out << result.log);
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(contains(result.out, "TLS certificate verification failed"));
    BOOST_TEST(jsearch->requests().empty());
}

// `check --jsearch` goes through the same transport as a sync: a private CA needs --ca-file
// there too.
BOOST_FIXTURE_TEST_CASE(check_trusts_the_ca_file_as_sync_does, TlsFixture) {
    auto jsearch = https_jsearch(loopback);
    const auto refused =
        stack.run({"check", "--jsearch"}, {{"JSEARCH_BASE_URL", jsearch->base_url()}});
    BOOST_TEST_INFO(refused.out << refused.err);
    BOOST_TEST(refused.exit_code == 1);
    BOOST_TEST(contains(refused.out, "TLS certificate verification failed"));
    const auto trusted = stack.run({"check", "--jsearch", "--ca-file", loopback.certificate_file},
                                   {{"JSEARCH_BASE_URL", jsearch->base_url()}});
    BOOST_TEST_INFO(trusted.out << trusted.err);
    BOOST_TEST(trusted.exit_code == 0);
    BOOST_TEST(jsearch->requests().size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
