// The one Boost.Test entry point each test binary compiles in: Boost's own, plus a flush.
// When a library's exit-time teardown crashes (cpprestsdk's shared thread pool being destroyed
// while a request of a failed test is still in flight), what the tests printed is out already;
// without the flush, a piped log lost it and CI showed only "SegFault".
#define BOOST_TEST_MODULE job - sync
#define BOOST_TEST_NO_MAIN
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <iostream>

int main(int argc, char* argv[]) {
    const int code = boost::unit_test::unit_test_main(&init_unit_test, argc, argv);
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    return code;
}
