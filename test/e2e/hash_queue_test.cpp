// Hashing under attack: each host lets at most TEST_HASH_SLOTS password-hashing requests in
// (the auth workers plus a short queue); the rest get 503 with Retry-After at once, instead of
// an unbounded queue of 16 MiB hashes. No global "no 5xx" check here: 503 is the point.
#define BOOST_TEST_MODULE e2e_hash_queue
#include <boost/test/unit_test.hpp>

#include "e2e/fixtures.hpp"
#include "http/parse.hpp"
#include "util/text.hpp"

using namespace testing_support;

namespace {

int slots() { return std::stoi(require_env("TEST_HASH_SLOTS")); }

struct Burst {
    int ok = 0;
    int busy = 0;
    int other = 0;
    std::vector<HttpResponse> busy_responses;
};

Burst login_burst(const HttpRequest& req, int n, long ok_status) {
    Burst b;
    for (auto& r : send_concurrently(req, n)) {
        if (r.status == ok_status) ++b.ok;
        else if (r.status == 503) ++b.busy, b.busy_responses.push_back(std::move(r));
        else ++b.other;
    }
    return b;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_burst_beyond_the_hashing_slots_gets_503_with_retry_after) {
    e2e::TestUser user;
    const std::string body = "username=" + util::url_encode(user.username()) +
                             "&password=" + util::url_encode(user.password());
    const Burst b = login_burst(
        {"POST", "/login", {"Content-Type: application/x-www-form-urlencoded"}, body, true},
        slots() + 30, 303);
    BOOST_TEST(b.other == 0);
    BOOST_TEST(b.ok >= 1);
    BOOST_TEST(b.busy >= 1);
    for (const auto& r : b.busy_responses) {
        BOOST_TEST(r.header("retry-after") == "2");
        BOOST_TEST(r.header("content-type").starts_with("text/html"));
        BOOST_TEST(r.body.find("Too many people are logging in") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(json_clients_get_the_busy_answer_as_json) {
    e2e::TestUser user;
    const std::string body =
        R"({"username":")" + user.username() + R"(","password":")" + user.password() + R"("})";
    const Burst b = login_burst({"POST", "/login", {"Content-Type: application/json"}, body, true},
                                slots() + 30, 200);
    BOOST_TEST(b.other == 0);
    BOOST_TEST(b.busy >= 1);
    for (const auto& r : b.busy_responses) {
        BOOST_TEST(r.header("retry-after") == "2");
        BOOST_TEST(e2e::json_error_code(r) == "busy");
    }
}

BOOST_AUTO_TEST_CASE(after_the_burst_logins_work_again) {
    e2e::TestUser user;
    BOOST_TEST(!user.login().empty());
}
