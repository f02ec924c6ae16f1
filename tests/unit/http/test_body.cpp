#include <boost/test/unit_test.hpp>
#include <string>
#include <utility>

#include "http/buffer_pool.hpp"
#include "http/transport.hpp"

using jobsync::http::Body;
using jobsync::http::body_buffers;

BOOST_AUTO_TEST_SUITE(request_body)

BOOST_AUTO_TEST_CASE(copies_of_a_body_read_one_text_not_copies_of_it) {
    const Body body(std::string(R"([{"job_id":"a"}])"));
    const Body copy = body;  // NOLINT(performance-unnecessary-copy-initialization): the point
    BOOST_TEST(copy.view() == R"([{"job_id":"a"}])");
    BOOST_TEST(static_cast<const void*>(copy.data()) == static_cast<const void*>(body.data()));
    BOOST_TEST(copy.share().get() == body.share().get());
    BOOST_TEST(copy.size() == 16u);
}

BOOST_AUTO_TEST_CASE(an_empty_body_reads_as_nothing) {
    const Body none;
    BOOST_TEST(none.empty());
    BOOST_TEST(none.size() == 0u);
    BOOST_TEST(none.view().empty());
    BOOST_TEST(!none.share());
    BOOST_TEST(Body("").empty());
}

BOOST_AUTO_TEST_CASE(the_text_goes_back_to_the_pool_when_the_last_holder_lets_go) {
    // Empty the process's pool first, so what it keeps afterwards is this test's doing.
    std::string text = body_buffers().take(std::size_t{1} << 20);
    while (body_buffers().kept() > 0) (void)body_buffers().take(std::size_t{64} * 1024);
    text.assign(std::size_t{1} << 20, 'x');
    const void* memory = text.data();
    auto shared = Body(std::move(text)).share();
    {
        Body body(std::string("not the pool's"));
        BOOST_TEST(body_buffers().kept() == 0u);
    }
    BOOST_TEST(body_buffers().kept() == 0u);  // a small text is not worth keeping
    BOOST_TEST(static_cast<const void*>(shared->data()) ==
               memory);  // a reader's share outlives every Body
    shared.reset();
    BOOST_TEST(body_buffers().kept() == 1u);
    BOOST_TEST(static_cast<const void*>(body_buffers().take(std::size_t{1} << 20).data()) ==
               memory);
}

BOOST_AUTO_TEST_CASE(a_text_released_by_its_last_holder_is_moved_out_not_pooled_or_copied) {
    std::string text(std::size_t{1} << 20, 'y');
    const void* memory = text.data();
    Body body(std::move(text));
    const std::size_t kept = body_buffers().kept();
    std::string back = std::move(body).release();
    BOOST_TEST(static_cast<const void*>(back.data()) == memory);
    BOOST_TEST(back.size() == std::size_t{1} << 20);
    BOOST_TEST(body.empty());  // NOLINT(bugprone-use-after-move): released means empty
    BOOST_TEST(body_buffers().kept() == kept);  // the pool did not get it
}

BOOST_AUTO_TEST_CASE(a_text_someone_else_still_reads_is_released_as_a_copy) {
    Body body(std::string(R"([{"job_id":"a"},{"job_id":"b"}])"));
    const auto reader = body.share();  // e.g. the stream of an abandoned request
    std::string back = std::move(body).release();
    BOOST_TEST(back == R"([{"job_id":"a"},{"job_id":"b"}])");
    BOOST_TEST(static_cast<const void*>(back.data()) != static_cast<const void*>(reader->data()));
    BOOST_TEST(*reader == back);  // the reader's text is untouched
    BOOST_TEST(std::move(Body()).release().empty());
}

BOOST_AUTO_TEST_SUITE_END()
