// The pure rules behind the defences: the login throttle's decision, sliding-window counts,
// client networks, the same-origin check and CSRF tokens.
#define BOOST_TEST_MODULE unit_security_rules
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "http/error.hpp"
#include "routes/csrf.hpp"
#include "service/rate_limits.hpp"
#include "util/net.hpp"
#include "util/text.hpp"

namespace data = boost::unit_test::data;
using service::LoginCounts;
using service::WindowCount;

namespace {

constexpr int64_t kHourMs = 3600 * 1000;
// A moment 15 minutes into an hour bucket: the previous bucket still weighs 3/4.
constexpr int64_t kNow = 1000 * kHourMs + 15 * 60 * 1000;

app::RateLimits limits() { return app::RateLimits{}; }  // free 5, delay ≤ 60 s, 50/h, 100/h

LoginCounts failures(int64_t account, int64_t last_failure_ms = kNow) {
    LoginCounts c;
    c.account_failures = {account, 0};
    c.last_failure_ms = account > 0 ? last_failure_ms : 0;
    return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(window_count)

BOOST_AUTO_TEST_CASE(the_previous_bucket_weighs_what_the_window_still_covers) {
    BOOST_TEST(WindowCount({2, 8}).at(kNow, 3600) == 2.0 + 8.0 * 0.75);
    BOOST_TEST(WindowCount({0, 8}).at(1000 * kHourMs, 3600) == 8.0);
    BOOST_TEST(WindowCount({5, 0}).at(kNow, 3600) == 5.0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(login_decision)

BOOST_AUTO_TEST_CASE(the_free_failures_need_no_wait) {
    for (int64_t n = 0; n < 5; ++n) BOOST_TEST(service::decide_login(failures(n), limits(), kNow).allowed);
}

BOOST_AUTO_TEST_CASE(after_the_free_failures_the_wait_doubles_up_to_the_maximum) {
    const std::vector<std::pair<int64_t, int>> waits = {{5, 1}, {6, 2}, {7, 4}, {8, 8}, {11, 60}, {40, 60}};
    for (const auto& [n, seconds] : waits) {
        const auto v = service::decide_login(failures(n), limits(), kNow);
        BOOST_TEST(!v.allowed, n);
        BOOST_TEST(v.reason == "delay");
        BOOST_TEST(v.retry_after_seconds == seconds, n << " failures");
        // Once the wait is over, one more attempt is allowed.
        BOOST_TEST(service::decide_login(failures(n), limits(), kNow + seconds * 1000).allowed);
    }
}

BOOST_AUTO_TEST_CASE(the_hourly_account_limit_refuses_until_the_window_slides) {
    const auto v = service::decide_login(failures(50, kNow - 3600 * 1000), limits(), kNow);
    BOOST_TEST(!v.allowed);
    BOOST_TEST(v.reason == "account_limit");
    // 45 minutes left in this bucket, then the 50 fade below 50 at once.
    BOOST_TEST(v.retry_after_seconds == 45 * 60 + 1);
}

BOOST_AUTO_TEST_CASE(the_network_limit_covers_every_account) {
    LoginCounts c;
    c.network_failures = {100, 0};
    const auto v = service::decide_login(c, limits(), kNow);
    BOOST_TEST(!v.allowed);
    BOOST_TEST(v.reason == "ip_limit");
    c.network_failures = {99, 0};
    BOOST_TEST(service::decide_login(c, limits(), kNow).allowed);
}

BOOST_AUTO_TEST_CASE(a_known_device_skips_every_limit) {
    LoginCounts c = failures(49);
    c.network_failures = {1000, 1000};
    c.known_device = true;
    BOOST_TEST(service::decide_login(c, limits(), kNow).allowed);
}

BOOST_AUTO_TEST_CASE(the_account_limit_stays_below_the_asvs_bound_of_100_an_hour) {
    BOOST_TEST(limits().login_account_failures_per_hour < 100);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(client_networks)

// clang-format off
const std::vector<std::tuple<std::string, int, int, std::string>> kNetworks = {
    {"203.0.113.77", 24, 48, "203.0.113.0/24"},
    {"203.0.113.77", 32, 64, "203.0.113.77/32"},
    {"2001:db8:1:2:3:4:5:6", 24, 48, "2001:db8:1::/48"},
    {"2001:db8:1:2:3:4:5:6", 32, 64, "2001:db8:1:2::/64"},
    {"::ffff:198.51.100.9", 24, 48, "198.51.100.0/24"},
    {"10.1.2.3", 0, 0, "0.0.0.0/0"},
};
// clang-format on

BOOST_DATA_TEST_CASE(an_address_is_cut_to_its_network, data::make(kNetworks), ip, v4, v6, expected) {
    BOOST_TEST(util::ip_network(ip, v4, v6).value_or("<none>") == expected);
}

BOOST_DATA_TEST_CASE(text_that_is_not_an_address_has_no_network,
                     data::make(std::vector<std::string>{"", "localhost", "1.2.3", "1.2.3.4.5", "::g",
                                                         std::string(100, '1'), "1.2.3.4/8"}),
                     text) {
    BOOST_TEST(!util::ip_network(text, 24, 48).has_value());
}

BOOST_AUTO_TEST_CASE(limits_count_ipv4_per_address_and_ipv6_per_64) {
    BOOST_TEST(service::client_network("198.51.100.9") == "198.51.100.9/32");
    BOOST_TEST(service::client_network("2001:db8::1") == service::client_network("2001:db8::ffff"));
    BOOST_TEST(service::client_network("2001:db8::1") != service::client_network("2001:db8:0:1::1"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(same_origin)

http::Request request(std::string method, std::vector<std::pair<std::string, std::string>> headers) {
    http::Request r;
    r.method = std::move(method);
    r.scheme = "https";
    r.headers["host"] = "login.example.com";
    for (auto& [name, value] : headers) r.headers[name] = value;
    return r;
}

int status_of(const http::Request& r) {
    try {
        routes::require_same_origin(r);
        return 0;
    } catch (const http::Error& e) {
        return e.status();
    }
}

// clang-format off
const std::vector<std::tuple<std::string, std::string, std::string, std::string, int>> kCases = {
    // name, method, header, value, expected (0 = passes)
    {"get_from_anywhere", "GET", "origin", "https://evil.example", 0},
    {"same_origin_post", "POST", "origin", "https://login.example.com", 0},
    {"other_origin_post", "POST", "origin", "https://evil.example", 403},
    {"other_scheme", "POST", "origin", "http://login.example.com", 403},
    {"other_port", "POST", "origin", "https://login.example.com:8443", 403},
    {"null_origin", "PATCH", "origin", "null", 403},
    {"fetch_same_origin", "POST", "sec-fetch-site", "same-origin", 0},
    {"fetch_typed_address", "POST", "sec-fetch-site", "none", 0},
    {"fetch_same_site", "DELETE", "sec-fetch-site", "same-site", 403},
    {"fetch_cross_site", "POST", "sec-fetch-site", "cross-site", 403},
    {"no_browser_headers", "POST", "user-agent", "curl/8", 0},
    {"token_client", "PATCH", "authorization", "Bearer x", 0},
};
// clang-format on

BOOST_DATA_TEST_CASE(state_changing_requests_must_come_from_the_site, data::make(kCases), name,
                     method, header, value, expected) {
    BOOST_TEST(status_of(request(method, {{header, value}})) == expected, name);
}

BOOST_AUTO_TEST_CASE(sec_fetch_site_wins_over_a_matching_origin) {
    BOOST_TEST(status_of(request("POST", {{"origin", "https://login.example.com"},
                                          {"sec-fetch-site", "cross-site"}})) == 403);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(csrf_tokens)

BOOST_AUTO_TEST_CASE(a_token_is_fixed_per_session_and_differs_between_sessions) {
    const std::string a(43, 'a'), b(43, 'b');
    BOOST_TEST(routes::csrf_token(a) == routes::csrf_token(a));
    BOOST_TEST(routes::csrf_token(a) != routes::csrf_token(b));
    BOOST_TEST(routes::csrf_token(a).size() == 64u);
    BOOST_TEST(routes::csrf_token(a).find(a) == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(text_for_sessions)

BOOST_AUTO_TEST_CASE(times_print_as_rfc3339_utc) {
    BOOST_TEST(util::rfc3339_utc(0) == "1970-01-01T00:00:00Z");
    BOOST_TEST(util::rfc3339_utc(1796040000) == "2026-11-30T12:00:00Z");
}

BOOST_AUTO_TEST_CASE(user_agents_are_cut_at_a_character_boundary_and_must_be_printable) {
    BOOST_TEST(util::printable_prefix("Firefox/130", 256) == "Firefox/130");
    BOOST_TEST(util::printable_prefix("ab\xC3\xA9", 3) == "ab");  // é is not split
    BOOST_TEST(util::printable_prefix("line\nbreak", 256) == "");
    BOOST_TEST(util::printable_prefix("bad \xFF utf8", 256) == "");
    BOOST_TEST(util::printable_prefix(std::string(300, 'x'), 256).size() == 256u);
}

BOOST_AUTO_TEST_SUITE_END()
