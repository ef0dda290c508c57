// The HTTPS listener of the production profile, with the self-signed certificate the test stack
// makes: HSTS, TLS 1.2+ only, and __Host- cookies with Secure that plain names cannot replace.
#define BOOST_TEST_MODULE e2e_tls
#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

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

// Finding 7 of the second security review: with HTTPS on, plain HTTP still served the whole
// application, password forms included. The test stack keeps plain HTTP serving (its tests use
// it), so this starts an nginx of its own from the production rendering (nginx/render.sh with
// TLS_LISTEN and nothing else), on unix sockets in front of the test stack's worker pools.
namespace {

class ProductionNginx {
  public:
    ProductionNginx()
        : dir_(require_env("TEST_STACK_DIR") + "/nginx-https-only-" + random_suffix()) {
        const std::string stack = require_env("TEST_STACK_DIR");
        const std::string tls = stack + "/tls/";
        const std::string render =
            "env STACK_DIR=" + dir_ + " PUBLIC_DIR=" + LOGIN_SOURCE_DIR + "/public" +
            " LISTEN=unix:" + http_socket() + " TLS_LISTEN=unix:" + https_socket() +
            " HTTPS_PORT=8443 TLS_CERT=" + tls + "cert.pem TLS_KEY=" + tls + "key.pem" +
            " APP_UPSTREAM=unix:" + stack + "/run/fcgi/app.sock AUTH_UPSTREAM=unix:" + stack +
            "/run/fcgi/auth.sock " + LOGIN_SOURCE_DIR + "/nginx/render.sh";
        BOOST_TEST_REQUIRE(std::system(render.c_str()) == 0);
        const std::string start = "nginx -p " + dir_ + "/nginx/ -c " + dir_ +
                                  "/nginx/nginx.conf -e " + dir_ + "/log/nginx-error.log";
        BOOST_TEST_REQUIRE(std::system(start.c_str()) == 0);
        for (int i = 0; i < 50 && !std::filesystem::exists(http_socket()); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ~ProductionNginx() {
        std::ifstream pidfile(dir_ + "/run/nginx.pid");
        pid_t pid = 0;
        if (pidfile >> pid && pid > 0) kill(pid, SIGTERM);
        for (int i = 0; i < 50 && std::filesystem::exists(http_socket()); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        std::error_code ignored;
        std::filesystem::remove_all(dir_, ignored);
    }

    std::string http_socket() const { return dir_ + "/http.sock"; }
    std::string https_socket() const { return dir_ + "/https.sock"; }

    HttpResponse plain(const std::string& method, const std::string& path) const {
        HttpRequest req{method, path};
        req.unix_socket = http_socket();
        if (method == "POST") {
            req.headers = {"Content-Type: application/x-www-form-urlencoded"};
            req.body = "username=user1&password=" + std::string(e2e::kDemoPassword);
            req.send_body = true;
        }
        return send(req);
    }

    HttpResponse secure(const std::string& path) const {
        HttpRequest req{"GET", path};
        req.unix_socket = https_socket();
        req.tls = true;
        return send(req);
    }

  private:
    std::string dir_;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(https_only, ProductionNginx)

BOOST_AUTO_TEST_CASE(with_https_on_plain_http_only_redirects_to_it) {
    for (const std::string path : {"/login", "/home", "/register", "/api/v1/me", "/?next=/admin"}) {
        const auto r = plain("GET", path);
        BOOST_TEST(r.status == 301, path);
        BOOST_TEST(r.header("location") == "https://localhost:8443" + path, path);
        BOOST_TEST(r.body.find("<form") == std::string::npos, path);
    }
    // A password posted over plain HTTP reaches no worker: no session comes back.
    const auto post = plain("POST", "/login");
    BOOST_TEST(post.status == 301);
    BOOST_TEST(post.set_cookie_value("sid").empty());
    BOOST_TEST(post.header("location") == "https://localhost:8443/login");
}

BOOST_AUTO_TEST_CASE(probes_stay_on_plain_http_and_the_application_is_on_https) {
    const auto health = plain("GET", "/healthz");
    BOOST_TEST(health.status == 200);
    BOOST_TEST(health.body.find("ok") != std::string::npos);
    BOOST_TEST(plain("GET", "/readyz").status == 200);
    const auto login_page = secure("/login");
    BOOST_TEST(login_page.status == 200);
    BOOST_TEST(login_page.body.find("<form") != std::string::npos);
    BOOST_TEST(!login_page.header("strict-transport-security").empty());
}

BOOST_AUTO_TEST_SUITE_END()
