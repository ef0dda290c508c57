// The HTTPS listener of the production profile, with the self-signed certificate the test stack
// makes: HSTS, TLS 1.2+ only, and __Host- cookies with Secure that plain names cannot replace.
#define BOOST_TEST_MODULE e2e_tls
#include <boost/test/unit_test.hpp>

#include "e2e/fixtures.hpp"
#include "http/parse.hpp"
#include "util/text.hpp"

using namespace testing_support;

using e2e::EveryResponseChecked;
BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

namespace {

HttpResponse https(std::string method, std::string path, std::vector<std::string> headers = {},
                   std::string body = "") {
    const bool send_body = !body.empty();
    return send({std::move(method), std::move(path), std::move(headers), std::move(body), send_body,
                 "", true});
}

HttpResponse https_login(const e2e::TestUser& user) {
    return https("POST", "/login", {"Content-Type: application/x-www-form-urlencoded"},
                 "username=" + util::url_encode(user.username()) +
                     "&password=" + util::url_encode(user.password()));
}

}  // namespace

BOOST_AUTO_TEST_CASE(https_responses_carry_hsts_and_plain_http_ones_do_not) {
    const auto secure = https("GET", "/login");
    BOOST_TEST(secure.status == 200);
    BOOST_TEST(secure.header("strict-transport-security") == "max-age=63072000; includeSubDomains");
    BOOST_TEST(get("/login").header("strict-transport-security").empty());
}

BOOST_AUTO_TEST_CASE(login_over_https_sets_host_prefixed_secure_cookies) {
    e2e::TestUser user;
    const auto r = https_login(user);
    BOOST_TEST_REQUIRE(r.status == 303);
    for (const std::string name : {"__Host-sid", "__Host-did"}) {
        const std::string line = r.set_cookie_line(name);
        BOOST_TEST(line.find("; Secure") != std::string::npos, line);
        BOOST_TEST(line.find("; HttpOnly") != std::string::npos, line);
        BOOST_TEST(line.find("; Path=/") != std::string::npos, line);
        BOOST_TEST(line.find("Domain") == std::string::npos, line);
    }
    BOOST_TEST(r.set_cookie_line("sid").empty());
    const std::string sid = r.set_cookie_value("__Host-sid");
    BOOST_TEST(https("GET", "/home", {"Cookie: __Host-sid=" + sid}).status == 200);
}

BOOST_AUTO_TEST_CASE(over_https_a_plain_sid_cookie_is_ignored) {
    e2e::TestUser user;
    const std::string plain_sid = user.login();  // over HTTP: a plain "sid"
    BOOST_TEST(get("/home", {e2e::cookie(plain_sid)}).status == 200);
    const auto r = https("GET", "/home", {e2e::cookie(plain_sid)});
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/login");
}

BOOST_AUTO_TEST_CASE(the_https_origin_passes_the_same_origin_check) {
    e2e::TestUser user;
    const auto r = https("POST", "/login",
                         {"Content-Type: application/x-www-form-urlencoded",
                          "Origin: " + require_env("TEST_TLS_BASE_URL")},
                         "username=" + util::url_encode(user.username()) +
                             "&password=" + util::url_encode(user.password()));
    BOOST_TEST(r.status == 303);
    const auto foreign = https("POST", "/login",
                               {"Content-Type: application/x-www-form-urlencoded",
                                "Origin: " + require_env("TEST_BASE_URL")},
                               "username=x&password=y");
    BOOST_TEST(foreign.status == 403);  // http:// is another origin than https://
}
