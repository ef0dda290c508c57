// Many clients at once: simultaneous page loads and API calls with one valid session all succeed.
#define BOOST_TEST_MODULE e2e_concurrency
#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <map>
#include <string>
#include <vector>

#include "e2e/fixtures.hpp"

using namespace testing_support;
using e2e::cookie;
using e2e::EveryResponseChecked;

BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

namespace {

// "200 x498, 503 x2": what came back, for the failure message.
std::string tally(const std::vector<long>& statuses) {
    std::map<long, int> counts;
    for (long s : statuses) ++counts[s];
    std::string out;
    for (const auto& [status, n] : counts)
        out += (out.empty() ? "" : ", ") + std::to_string(status) + " x" + std::to_string(n);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(five_hundred_concurrent_home_requests_with_a_valid_session_all_return_200) {
    const std::string sid = login("user1", e2e::kDemoPassword);
    const auto statuses = get_concurrently("/home", {cookie(sid)}, 500);
    BOOST_TEST(statuses.size() == 500u);
    BOOST_TEST(std::count(statuses.begin(), statuses.end(), 200L) == 500, tally(statuses));
}

BOOST_AUTO_TEST_CASE(two_hundred_concurrent_api_requests_with_a_valid_session_all_return_200) {
    const std::string sid = login("user1", e2e::kDemoPassword);
    const auto statuses = get_concurrently("/api/v1/me", {cookie(sid)}, 200);
    BOOST_TEST(statuses.size() == 200u);
    BOOST_TEST(std::count(statuses.begin(), statuses.end(), 200L) == 200, tally(statuses));
}
