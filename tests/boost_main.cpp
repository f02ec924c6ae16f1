// The one Boost.Test entry point each test binary compiles in.
#define BOOST_TEST_MODULE job - sync
#include <boost/test/unit_test.hpp>
