// What nginx serves by itself: the versioned stylesheet (long-lived cache, gzip) and the login
// form (with the error box only on ?error=1), without touching a FastCGI worker.
#define BOOST_TEST_MODULE e2e_static
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <fstream>
#include <thread>
#include <vector>

#include "e2e/fixtures.hpp"

using namespace testing_support;
using e2e::EveryResponseChecked;

BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

namespace {

constexpr const char* kCss = "/static/app.3.css";
constexpr const char* kLoginError = "Invalid username or password.";

// The max-age of a Cache-Control value, or -1 when it has none.
long max_age(const std::string& cache_control) {
    const std::string key = "max-age=";
    const size_t at = cache_control.find(key);
    if (at == std::string::npos) return -1;
    return std::stol(cache_control.substr(at + key.size()));
}

// The string value of field in one JSON access-log line ("<absent>" when missing).
std::string log_field(const std::string& line, const char* field) {
    std::string why;
    auto doc = util::json_parse(line, &why);
    if (!doc) return "<not json: " + why + ">";
    return e2e::json_string(doc->get(), field);
}

// The access-log line of the request whose URI is exactly uri. nginx may write it a moment
// after the response, so this rereads the log for up to two seconds; "" when never found.
std::string access_log_line(const std::string& uri) {
    const std::string path = require_env("TEST_NGINX_ACCESS_LOG");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    do {
        std::ifstream in(path);
        for (std::string line; std::getline(in, line);)
            if (line.find(uri) != std::string::npos && log_field(line, "uri") == uri) return line;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (std::chrono::steady_clock::now() < deadline);
    return "";
}

bool served_by_nginx_alone(const std::string& upstream_addr) {
    return upstream_addr.empty() || upstream_addr == "-";
}

}  // namespace

BOOST_AUTO_TEST_CASE(stylesheet_is_served_as_css_with_a_year_long_cache) {
    const auto r = get(kCss);
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.header("content-type").starts_with("text/css"));
    BOOST_TEST(max_age(r.header("cache-control")) >= 31536000L, r.header("cache-control"));
    BOOST_TEST(r.body.find("{") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(stylesheet_is_gzipped_for_clients_that_accept_gzip) {
    const auto r = get(kCss, {"Accept-Encoding: gzip"});
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.header("content-encoding") == "gzip");
    BOOST_TEST(r.header("vary").find("Accept-Encoding") != std::string::npos);
    BOOST_TEST_REQUIRE(r.body.size() >= 2u);
    BOOST_TEST((static_cast<unsigned char>(r.body[0]) == 0x1f &&
                static_cast<unsigned char>(r.body[1]) == 0x8b));  // the gzip magic number
}

BOOST_AUTO_TEST_CASE(stylesheet_is_not_gzipped_for_clients_that_do_not_ask) {
    const auto r = get(kCss);
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.header("content-encoding") == "");
}

BOOST_AUTO_TEST_CASE(login_page_is_html_with_the_login_form) {
    const auto r = get("/login");
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.header("content-type").starts_with("text/html"));
    BOOST_TEST(r.body.find(R"(<form method="post" action="/login">)") != std::string::npos);
    BOOST_TEST(r.body.find(R"(name="username")") != std::string::npos);
    BOOST_TEST(r.body.find(R"(name="password" type="password")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(login_page_shows_the_generic_error_only_after_a_failed_login) {
    const auto plain = get("/login");
    BOOST_TEST(plain.status == 200);
    BOOST_TEST(plain.body.find(kLoginError) == std::string::npos);
    const auto failed = get("/login?error=1");
    BOOST_TEST(failed.status == 200);
    BOOST_TEST(failed.body.find(kLoginError) != std::string::npos);
    BOOST_TEST(failed.body.find(R"(role="alert")") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(login_page_leaves_no_ssi_directives_in_the_html) {
    const auto r = get("/login?error=1");
    BOOST_TEST(r.body.find("<!--#") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(stylesheet_request_never_reaches_a_worker) {
    const std::string uri = std::string(kCss) + "?probe=" + random_suffix();
    BOOST_TEST_REQUIRE(get(uri).status == 200);
    const std::string line = access_log_line(uri);
    BOOST_TEST_REQUIRE(!line.empty(), "no access-log line for " << uri);
    BOOST_TEST(served_by_nginx_alone(log_field(line, "upstream_addr")), line);
}

BOOST_AUTO_TEST_CASE(login_page_request_never_reaches_a_worker) {
    const std::string uri = "/login?probe=" + random_suffix();
    BOOST_TEST_REQUIRE(get(uri).status == 200);
    const std::string line = access_log_line(uri);
    BOOST_TEST_REQUIRE(!line.empty(), "no access-log line for " << uri);
    BOOST_TEST(served_by_nginx_alone(log_field(line, "upstream_addr")), line);
}

BOOST_AUTO_TEST_CASE(home_request_reaches_a_worker) {
    // The control for the two above: a page request is logged with its upstream address.
    const std::string uri = "/home?probe=" + random_suffix();
    BOOST_TEST_REQUIRE(get(uri).status == 303);
    const std::string line = access_log_line(uri);
    BOOST_TEST_REQUIRE(!line.empty(), "no access-log line for " << uri);
    BOOST_TEST(!served_by_nginx_alone(log_field(line, "upstream_addr")), line);
}

BOOST_AUTO_TEST_CASE(login_and_register_pages_follow_accept_language_and_the_lang_cookie) {
    struct Case {
        std::vector<std::string> headers;
        std::string lang;
    };
    const std::vector<Case> cases = {
        {{}, "en"},
        {{"Accept-Language: pt-BR,pt;q=0.9,en;q=0.8"}, "pt-BR"},
        {{"Accept-Language: fr-FR,pt;q=0.5"}, "pt-BR"},
        {{"Accept-Language: en-US,pt-BR;q=0.9"}, "en"},
        {{"Accept-Language: fr-FR"}, "en"},
        {{"Accept-Language: en-US", "Cookie: lang=pt-BR"}, "pt-BR"},
        {{"Accept-Language: pt-BR", "Cookie: lang=en"}, "en"},
        {{"Accept-Language: pt-BR", "Cookie: lang=xx"}, "pt-BR"},
    };
    for (const auto& c : cases) {
        for (const char* path : {"/login", "/register"}) {
            const auto r = get(path, c.headers);
            BOOST_TEST_CONTEXT(path << " with " << (c.headers.empty() ? "" : c.headers[0])
                                    << (c.headers.size() > 1 ? " + " + c.headers[1] : "")) {
                BOOST_TEST(r.status == 200);
                BOOST_TEST(r.body.find("<html lang=\"" + c.lang + "\">") != std::string::npos);
                BOOST_TEST(r.header("content-language") == c.lang);
                BOOST_TEST(r.header("vary").find("Accept-Language") != std::string::npos);
            }
        }
    }
    const auto failed = get("/login?error=1", {"Accept-Language: pt-BR"});
    BOOST_TEST(failed.body.find("Nome de usuário ou senha inválidos.") != std::string::npos);
    BOOST_TEST(failed.body.find("<!--#") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(language_switch_sets_the_cookie_and_returns_only_to_our_pages) {
    const auto r = get("/lang/pt-BR?next=/register");
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/register");
    BOOST_TEST(r.set_cookie_line("lang").find("lang=pt-BR; Path=/; Max-Age=31536000") == 0u,
               r.set_cookie_line("lang"));
    BOOST_TEST(r.header("cache-control") == "no-store");
    for (const char* next : {"//evil.example/", "https://evil.example/", "/home%0d%0aX:%201"}) {
        const auto bad = get(std::string("/lang/en?next=") + next);
        BOOST_TEST(bad.status == 303);
        BOOST_TEST(bad.header("location") == "/", next);
    }
}
