// The file writer against the real file system, in a folder of the test's own.
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "output/atomic_file.hpp"

namespace fs = std::filesystem;
using namespace jobsync::output;

namespace {

struct TempFolder {
    fs::path path;
    TempFolder() {
        path = fs::temp_directory_path() / ("job-sync-atomic-" + std::to_string(::getpid()) + "-" +
                                            std::to_string(std::random_device{}()));
        fs::create_directories(path);
    }
    ~TempFolder() { fs::remove_all(path); }
    std::size_t entries() const {
        return static_cast<std::size_t>(std::distance(fs::directory_iterator(path), {}));
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(atomic_file, TempFolder)

BOOST_AUTO_TEST_CASE(a_new_file_gets_the_content_readable_by_others_and_no_temporary_is_left) {
    const auto file = (path / "job-sync.prom").string();
    write_file_atomically(file, "a 1\n");
    BOOST_TEST(read_file_if_present(file).value_or("") == "a 1\n");
    struct stat info {};
    BOOST_REQUIRE(::stat(file.c_str(), &info) == 0);
    BOOST_TEST((info.st_mode & 0777) == 0644u);
    BOOST_TEST(entries() == 1u);
}

BOOST_AUTO_TEST_CASE(an_existing_file_is_replaced_whole) {
    const auto file = (path / "report.json").string();
    write_file_atomically(file, std::string(10000, 'x'));
    write_file_atomically(file, "{}\n");
    BOOST_TEST(read_file_if_present(file).value_or("") == "{}\n");
    BOOST_TEST(entries() == 1u);
}

BOOST_AUTO_TEST_CASE(a_reader_holding_the_old_file_keeps_reading_the_old_content) {
    const auto file = (path / "report.json").string();
    write_file_atomically(file, "old\n");
    std::ifstream reader(file);
    write_file_atomically(file, "new\n");
    std::string line;
    std::getline(reader, line);
    BOOST_TEST(line == "old");  // rename swaps the name; the open file is untouched
    BOOST_TEST(read_file_if_present(file).value_or("") == "new\n");
}

BOOST_AUTO_TEST_CASE(a_missing_folder_is_an_error_naming_the_path_and_leaves_nothing) {
    const auto file = (path / "absent" / "report.json").string();
    try {
        write_file_atomically(file, "x");
        BOOST_FAIL("expected an error");
    } catch (const std::runtime_error& e) {
        BOOST_TEST(std::string(e.what()).find(file) != std::string::npos);
        BOOST_TEST(std::string(e.what()).find("No such file or directory") != std::string::npos);
    }
    BOOST_TEST(entries() == 0u);
}

BOOST_AUTO_TEST_CASE(unwritable_reason_names_a_missing_folder_or_a_folder_given_as_the_file) {
    BOOST_TEST(!unwritable_reason((path / "ok.prom").string()));
    BOOST_TEST(unwritable_reason((path / "absent" / "x.prom").string()).value_or("") ==
               "folder " + (path / "absent").string() + " does not exist");
    BOOST_TEST(unwritable_reason(path.string()).value_or("") ==
               path.string() + " is a folder; give a file name");
}

BOOST_AUTO_TEST_CASE(a_file_that_does_not_exist_reads_as_nothing) {
    BOOST_TEST(!read_file_if_present((path / "nothing.prom").string()));
}

BOOST_AUTO_TEST_SUITE_END()
