// The pure rules behind the defences: the login throttle's decision, sliding-window counts,
// client networks, the same-origin check and CSRF tokens.
#define BOOST_TEST_MODULE unit_security_rules
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <ctime>

#include "http/error.hpp"
#include "routes/csrf.hpp"
#include "service/known_devices.hpp"
#include "service/rate_limits.hpp"
#include "service/signer.hpp"
#include "util/crypto.hpp"
#include "util/net.hpp"
#include "util/text.hpp"

namespace data = boost::unit_test::data;
using service::LoginCounts;
using service::WindowCount;

namespace {

constexpr int64_t kHourMs = 3600 * 1000;
// A moment 15 minutes into an hour bucket: the previous bucket still weighs 3/4.
constexpr int64_t kNow = 1000 * kHourMs + 15 * 60 * 1000;

// A Signer under a fixed test key.
const service::Signer& signer() {
    static const service::Signer s(std::string(32, 'k'), "");
    return s;
}

app::RateLimits limits() { return app::RateLimits{}; }  // free 5, delay ≤ 60 s, 50/h, 100/h

LoginCounts failures(int64_t account, int64_t last_failure_ms = kNow) {
    LoginCounts c;
    c.failures = {account, 0};
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

// Finding 2 of the second security review: the device cookie exempted its holder from every
// limit, the per-network one included.
BOOST_AUTO_TEST_CASE(a_known_device_is_still_held_to_the_network_limit) {
    LoginCounts c;
    c.known_device = true;
    c.network_failures = {100, 0};
    const auto v = service::decide_login(c, limits(), kNow);
    BOOST_TEST(!v.allowed);
    BOOST_TEST(v.reason == "ip_limit");
}

BOOST_AUTO_TEST_CASE(a_known_device_has_a_larger_allowance_of_its_own_not_an_exemption) {
    LoginCounts c = failures(9);
    c.known_device = true;
    BOOST_TEST(service::decide_login(c, limits(), kNow).allowed);  // 10 free, not 5
    c = failures(10);
    c.known_device = true;
    const auto delayed = service::decide_login(c, limits(), kNow);
    BOOST_TEST(!delayed.allowed);
    BOOST_TEST(delayed.reason == "delay");
    BOOST_TEST(delayed.retry_after_seconds == 1);
    c = failures(90, kNow - kHourMs);
    c.known_device = true;
    const auto capped = service::decide_login(c, limits(), kNow);
    BOOST_TEST(!capped.allowed);
    BOOST_TEST(capped.reason == "device_limit");
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
    {"legacy_token_client", "DELETE", "api-token", "x", 0},
};
// clang-format on

BOOST_DATA_TEST_CASE(state_changing_requests_must_come_from_the_site, data::make(kCases), name,
                     method, header, value, expected) {
    BOOST_TEST(status_of(request(method, {{header, value}})) == expected, name);
}

// Finding 5: any Authorization header, even Basic (which browsers add by themselves behind
// single sign-on), switched the check off, also for cookie-authenticated requests.
BOOST_AUTO_TEST_CASE(only_a_token_without_a_session_cookie_skips_the_check) {
    const std::pair<std::string, std::string> cross = {"sec-fetch-site", "cross-site"};
    BOOST_TEST(status_of(request("POST", {cross, {"authorization", "Bearer t"}})) == 0);
    BOOST_TEST(status_of(request("POST", {cross, {"authorization", "Basic dXNlcjpwdw=="}})) == 403);
    BOOST_TEST(status_of(request("POST", {cross, {"authorization", "Negotiate YII="}})) == 403);
    BOOST_TEST(status_of(request(
                   "POST", {cross, {"authorization", "Bearer t"}, {"cookie", "sid=abc"}})) == 403);
    BOOST_TEST(status_of(request(
                   "DELETE", {cross, {"api-token", "t"}, {"cookie", "lang=en; __Host-sid=abc"}})) ==
               403);
    BOOST_TEST(status_of(request(
                   "POST", {cross, {"authorization", "Bearer t"}, {"cookie", "lang=en"}})) == 0);
}

BOOST_AUTO_TEST_CASE(sec_fetch_site_wins_over_a_matching_origin) {
    BOOST_TEST(status_of(request("POST", {{"origin", "https://login.example.com"},
                                          {"sec-fetch-site", "cross-site"}})) == 403);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(csrf_tokens)

BOOST_AUTO_TEST_CASE(a_token_is_fixed_per_session_and_differs_between_sessions) {
    const std::string a(43, 'a'), b(43, 'b');
    BOOST_TEST(routes::csrf_token(signer(), a) == routes::csrf_token(signer(), a));
    BOOST_TEST(routes::csrf_token(signer(), a) != routes::csrf_token(signer(), b));
    BOOST_TEST(routes::csrf_token(signer(), a).size() == 43u);  // 256 bits, base64url
    BOOST_TEST(routes::csrf_token(signer(), a).find(a) == std::string::npos);
}

// Finding 10: the token was sha256("csrf:" + sid), which anyone holding the session id (a
// leaked log, a shared machine) could compute without the server.
BOOST_AUTO_TEST_CASE(a_token_needs_the_server_key_and_is_no_unkeyed_hash_of_the_session) {
    const std::string sid(43, 'a');
    BOOST_TEST(routes::csrf_token(signer(), sid) != util::sha256_hex("csrf:" + sid));
    const service::Signer other(std::string(32, 'o'), "");
    BOOST_TEST(routes::csrf_token(signer(), sid) != routes::csrf_token(other, sid));
}

BOOST_AUTO_TEST_CASE(a_rotated_key_still_accepts_tokens_of_the_previous_one_and_no_other) {
    const std::string sid(43, 'a');
    const service::Signer old_key(std::string(32, 'k'), "");
    const service::Signer rotated(std::string(32, 'n'), std::string(32, 'k'));
    const service::Signer after(std::string(32, 'n'), "");
    const std::string issued_before = routes::csrf_token(old_key, sid);
    BOOST_TEST(rotated.verify("csrf", sid, issued_before));
    BOOST_TEST(!after.verify("csrf", sid, issued_before));
    BOOST_TEST(rotated.verify("csrf", sid, routes::csrf_token(rotated, sid)));
    BOOST_TEST(!rotated.verify("csrf", std::string(43, 'b'), issued_before));
    BOOST_TEST(!rotated.verify("device", sid, issued_before));  // purposes never mix
}

BOOST_AUTO_TEST_SUITE_END()

// Finding 2: the server adopted any did value a client sent, bound to nothing.
BOOST_AUTO_TEST_SUITE(known_devices)

BOOST_AUTO_TEST_CASE(a_device_cookie_holds_only_for_its_user_and_session_generation) {
    const service::KnownDevices devices(signer(), 90);
    // A user id too long to turn up by chance in the cookie's random characters (a short one
    // such as 42 does, in about one cookie in sixty).
    constexpr int64_t user = 918273645501;
    const std::string cookie = devices.issue(user, 3);
    const auto id = devices.device_of(cookie, user, 3);
    BOOST_TEST_REQUIRE(id.has_value());
    BOOST_TEST(id->size() == 22u);
    BOOST_TEST(cookie.find(std::to_string(user)) == std::string::npos);  // the holder learns nothing of whose it is
    BOOST_TEST(!devices.device_of(cookie, user + 1, 3).has_value());  // another account
    BOOST_TEST(!devices.device_of(cookie, user, 4).has_value());  // after a new generation
    // Re-issued under a new generation, the device keeps its id (and its failure count).
    BOOST_TEST(devices.device_of(devices.issue(user, 4, *id), user, 4).value_or("") == *id);
}

BOOST_AUTO_TEST_CASE(made_up_or_altered_device_cookies_name_no_device) {
    const service::KnownDevices devices(signer(), 90);
    const std::string real = devices.issue(42, 3);
    std::string altered = real;
    altered[0] = altered[0] == 'A' ? 'B' : 'A';
    const service::Signer other_signer(std::string(32, 'x'), "");
    const service::KnownDevices other_key(other_signer, 90);
    for (const std::string& fake :
         {std::string(43, 'A'), std::string(), std::string("a.b.c"), altered,
          real.substr(0, real.size() - 1), other_key.issue(42, 3), real + std::string(200, 'x')})
        BOOST_TEST(!devices.device_of(fake, 42, 3).has_value(), fake);
}

BOOST_AUTO_TEST_CASE(a_device_cookie_expires_with_its_lifetime) {
    const service::KnownDevices devices(signer(), 90);
    // issued 91 days ago, signed as the server would have then
    const std::string id(22, 'A');
    const std::string issued = std::to_string(std::time(nullptr) - 91 * 86400);
    const std::string message = id + "." + issued + ".42.3";
    const std::string stale = id + "." + issued + "." + signer().sign("device", message);
    BOOST_TEST(!devices.device_of(stale, 42, 3).has_value());
    const std::string fresh_issue = std::to_string(std::time(nullptr) - 89 * 86400);
    const std::string fresh =
        id + "." + fresh_issue + "." + signer().sign("device", id + "." + fresh_issue + ".42.3");
    BOOST_TEST(devices.device_of(fresh, 42, 3).value_or("") == id);
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
