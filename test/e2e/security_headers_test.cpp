// Headers every response must carry: no-store on personalized HTML and on the API, the browser
// hardening headers from nginx, and never a password hash anywhere.
#define BOOST_TEST_MODULE e2e_security_headers
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <ostream>
#include <vector>

#include "e2e/fixtures.hpp"

using namespace testing_support;
namespace data = boost::unit_test::data;
using e2e::cookie;
using e2e::EveryResponseChecked;
using e2e::kDemoPassword;

BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

namespace {

// A request to one kind of app response; logged_in sends a fresh session of user1.
struct Probe {
    const char* name;
    std::string method;
    std::string path;
    std::string content_type;
    std::string body;
    bool logged_in;
    long status;
};

std::ostream& operator<<(std::ostream& os, const Probe& p) {
    return os << p.name;
}

const std::string kUserJson =
    std::string(R"({"username":"user1","password":")") + kDemoPassword + R"("})";

HttpResponse send_probe(const Probe& p) {
    std::vector<std::string> headers;
    std::string body = p.body;
    std::string content_type = p.content_type;
    if (p.logged_in) {
        const std::string sid = login("user1", kDemoPassword);
        headers.push_back(cookie(sid));
        if (p.method == "POST") {  // a form of the session's own pages carries its CSRF token
            body += (body.empty() ? "" : "&") + e2e::csrf_field(sid);
            if (content_type.empty()) content_type = "application/x-www-form-urlencoded";
        }
    }
    if (!content_type.empty()) headers.push_back("Content-Type: " + content_type);
    return send({p.method, p.path, headers, body, p.method != "GET"});
}

// Every kind of response the workers produce: pages, redirects, JSON, and both error formats,
// one per line.
// clang-format off
const std::vector<Probe> kAppResponses = {
    {"home_page", "GET", "/home", "", "", true, 200},
    {"profile_form", "GET", "/profile", "", "", true, 200},
    {"profile_form_422", "POST", "/profile", "application/x-www-form-urlencoded", "display_name=A&email=bad", true, 422},
    {"me_json", "GET", "/api/v1/me", "", "", true, 200},
    {"me_json_401", "GET", "/api/v1/me", "", "", false, 401},
    {"json_login", "POST", "/login", "application/json", kUserJson, false, 200},
    {"json_login_401", "POST", "/login", "application/json", R"({"username":"no-such-user-headers","password":"no"})", false, 401},
    {"form_login_redirect", "POST", "/login", "application/x-www-form-urlencoded", "username=user1&password=demo-pass-123", false, 303},
    {"failed_login_redirect", "POST", "/login", "application/x-www-form-urlencoded", "username=no-such-user-headers&password=no", false, 303},
    {"home_redirect_when_logged_out", "GET", "/home", "", "", false, 303},
    {"logout_redirect", "POST", "/logout", "", "", true, 303},
    {"html_400", "POST", "/login", "application/x-www-form-urlencoded", "username=%zz", false, 400},
    {"html_404", "GET", "/nope", "", "", false, 404},
    {"json_404", "GET", "/api/v1/nope", "", "", false, 404},
    {"html_405", "GET", "/logout", "", "", false, 405},
    {"json_415", "PATCH", "/api/v1/me", "text/plain", "x", true, 415},
};
// clang-format on

}  // namespace

BOOST_DATA_TEST_CASE(app_response_is_marked_no_store, data::make(kAppResponses), p) {
    const auto r = send_probe(p);
    BOOST_TEST(r.status == p.status);
    BOOST_TEST(r.header("cache-control") == "no-store");
}

BOOST_DATA_TEST_CASE(app_response_carries_the_browser_hardening_headers, data::make(kAppResponses),
                     p) {
    const auto r = send_probe(p);
    BOOST_TEST(r.header("x-content-type-options") == "nosniff");
    BOOST_TEST(r.header("x-frame-options") == "DENY");
    BOOST_TEST(r.header("content-security-policy").find("frame-ancestors 'none'") !=
               std::string::npos);
}

BOOST_AUTO_TEST_CASE(nginx_error_pages_carry_the_browser_hardening_headers) {
    const auto too_large =
        post_form("/login", "username=u&password=" + std::string(65 * 1024, 'p'));
    BOOST_TEST(too_large.status == 413);
    BOOST_TEST(too_large.header("x-content-type-options") == "nosniff");
    BOOST_TEST(too_large.header("x-frame-options") == "DENY");
}

BOOST_AUTO_TEST_CASE(responses_about_the_user_never_contain_a_password_hash) {
    const std::string sid = login("user1", kDemoPassword);
    const std::vector<HttpResponse> responses = {
        get("/home", {cookie(sid)}),
        get("/profile", {cookie(sid)}),
        get("/api/v1/me", {cookie(sid)}),
        send_json("POST", "/login", kUserJson),
    };
    for (const auto& r : responses) {
        BOOST_TEST(r.status == 200);
        BOOST_TEST(!e2e::mentions(r, e2e::kHashMarker));
    }
}

BOOST_AUTO_TEST_CASE(api_user_object_has_no_credential_fields) {
    const auto r = get("/api/v1/me", {cookie(login("user1", kDemoPassword))});
    BOOST_TEST_REQUIRE(r.status == 200);
    auto doc = e2e::json_body(r);
    const char* key;
    json_t* value;
    json_object_foreach(doc.get(), key, value) {
        const std::string k(key);
        BOOST_TEST(k.find("password") == std::string::npos, k);
        BOOST_TEST(k.find("hash") == std::string::npos, k);
    }
    BOOST_TEST(e2e::json_string(doc.get(), "username") == "user1");
}
