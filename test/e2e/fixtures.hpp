// Shared pieces of the end-to-end tests: cookies, JSON bodies, throw-away users, and the checks
// that every response of every e2e test must pass. Header-only: each test file is its own program.
#pragma once

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>

#include "service/passwords.hpp"
#include "store/keys.hpp"
#include "store/pg.hpp"
#include "store/redis.hpp"
#include "support/env.hpp"
#include "support/http_client.hpp"
#include "util/json.hpp"

namespace e2e {

using testing_support::HttpRequest;
using testing_support::HttpResponse;

// The seeded demo accounts (scripts/seed-demo.sh) and their password.
inline constexpr const char* kDemoPassword = "demo-pass-123";

// The prefix of every stored password hash (libscrypt's modular crypt format).
inline constexpr std::string_view kHashMarker = "$s1$";

// A loopback address of the caller's own (127.a.b.c), so that per-address and per-network counts
// start at zero; send from it with HttpRequest::source_address.
inline std::string fresh_loopback_address() {
    static std::random_device rd;
    std::uniform_int_distribution<int> octet(1, 254);
    return "127." + std::to_string(octet(rd)) + "." + std::to_string(octet(rd)) + "." +
           std::to_string(octet(rd));
}

// The header that sends session id sid.
inline std::string cookie(const std::string& sid) {
    return "Cookie: sid=" + sid;
}

// The CSRF token in a page's forms ("" when the page has none).
inline std::string csrf_token_in(const std::string& html) {
    static constexpr std::string_view kField = R"(name="csrf_token" value=")";
    const size_t at = html.find(kField);
    if (at == std::string::npos) return "";
    const size_t start = at + kField.size();
    return html.substr(start, html.find('"', start) - start);
}

// "csrf_token=<token>" for a form posted with session sid, read from its home page as a
// browser would; fails the test when the page has no token.
inline std::string csrf_field(const std::string& sid) {
    const auto home = testing_support::get("/home", {cookie(sid)});
    const std::string token = csrf_token_in(home.body);
    BOOST_TEST_REQUIRE(!token.empty(), "no csrf_token on /home: " << home.status);
    return "csrf_token=" + token;
}

// True when text occurs in the body or in any header value of r.
inline bool mentions(const HttpResponse& r, std::string_view text) {
    if (r.body.find(text) != std::string::npos) return true;
    for (const auto& [name, value] : r.headers)
        if (value.find(text) != std::string::npos) return true;
    return false;
}

// r's body parsed as JSON; fails the test when it is not JSON.
inline util::Json json_body(const HttpResponse& r) {
    std::string why;
    auto doc = util::json_parse(r.body, &why);
    BOOST_TEST_REQUIRE(doc.has_value(), "body is not JSON (" << why << "): " << r.body);
    return std::move(*doc);
}

// The string at key of a JSON object, or "<absent>" when it is missing or not a string.
inline std::string json_string(const json_t* obj, const char* key) {
    const json_t* v = json_object_get(obj, key);
    if (!json_is_string(v)) return "<absent>";
    return std::string(json_string_value(v), json_string_length(v));
}

// error.code of a JSON error body.
inline std::string json_error_code(const HttpResponse& r) {
    auto doc = json_body(r);
    return json_string(json_object_get(doc.get(), "error"), "code");
}

// Global fixture: every response a test receives through send() must be free of password
// hashes and must not be a 5xx, whatever the test itself asserts.
struct EveryResponseChecked {
    EveryResponseChecked() {
        testing_support::set_response_observer([](const HttpRequest& req, const HttpResponse& r) {
            BOOST_TEST(!mentions(r, kHashMarker),
                       req.method << ' ' << req.path << " returned a password hash");
            BOOST_TEST(r.status < 500, req.method << ' ' << req.path << " returned " << r.status);
        });
    }
    ~EveryResponseChecked() { testing_support::set_response_observer(nullptr); }
};

// The stack's application database, reached as the superuser: TEST_PG_ADMIN_URL names the
// server's maintenance database, and the app's database there is `login`.
inline std::string login_database_url() {
    std::string url = testing_support::require_env("TEST_PG_ADMIN_URL");
    const size_t query = url.find('?');
    const std::string params = query == std::string::npos ? "" : url.substr(query);
    url = url.substr(0, std::min(query, url.size()));
    return url.substr(0, url.rfind('/') + 1) + "login" + params;
}

// A user of its own for one test, inserted straight into the stack's database with a random
// username and password, and deleted (with its cached profile) when the test ends.
class TestUser {
  public:
    explicit TestUser(std::string display_name = "E2E Person", bool enabled = true,
                      const std::string& username_prefix = "e2e-")
        : username_(username_prefix + testing_support::random_suffix()),
          password_("pw-" + testing_support::random_suffix()),
          email_(username_ + "@example.com"),
          display_name_(std::move(display_name)),
          pg_(login_database_url()) {
        // Cheap parameters: the server accepts any valid $s1$ hash and rehashes it on login.
        static const service::Passwords cheap({1024, 8, 1});
        pg_.define(
            "e2e_insert_user",
            "INSERT INTO users (username, display_name, email, password_hash, roles, enabled)"
            " VALUES ($1, $2, $3, $4, '{user}', $5) RETURNING id");
        pg_.define("e2e_delete_user", "DELETE FROM users WHERE id = $1");
        auto r = pg_.exec("e2e_insert_user", {username_, display_name_, email_,
                                              cheap.hash(password_), enabled ? "t" : "f"});
        id_ = std::stoll(*store::pg_value(r.get(), 0, 0));
    }

    ~TestUser() {
        try {
            pg_.exec("e2e_delete_user", {std::to_string(id_)});
            store::Redis redis(testing_support::require_env("TEST_CACHE_REDIS_URL"));
            redis.command({"DEL", store::Keys(testing_support::require_env("TEST_KEY_PREFIX"))
                                      .profile(id_)});
        } catch (...) {
            // Never throw from a destructor; the stack and its data go away after the run.
        }
    }

    TestUser(const TestUser&) = delete;
    TestUser& operator=(const TestUser&) = delete;

    const std::string& username() const { return username_; }
    const std::string& password() const { return password_; }
    const std::string& email() const { return email_; }
    const std::string& display_name() const { return display_name_; }
    int64_t id() const { return id_; }

    // Logs in through the form and returns the session id.
    std::string login() const { return testing_support::login(username_, password_); }

  private:
    std::string username_;
    std::string password_;
    std::string email_;
    std::string display_name_;
    store::Pg pg_;
    int64_t id_ = 0;
};

// The upstream_addr nginx logged for the request whose URI is exactly uri: "" when nginx
// served it alone, "<not logged>" when no such line shows up. nginx may write the line a moment
// after the response, so this rereads TEST_NGINX_ACCESS_LOG for up to two seconds. Give each
// probe a unique query string (?probe=<random>) so that its line is its own.
inline std::string upstream_of(const std::string& uri) {
    const std::string path = testing_support::require_env("TEST_NGINX_ACCESS_LOG");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    do {
        std::ifstream in(path);
        for (std::string line; std::getline(in, line);) {
            if (line.find(uri) == std::string::npos) continue;
            auto doc = util::json_parse(line, nullptr);
            if (!doc || json_string(doc->get(), "uri") != uri) continue;
            const std::string upstream = json_string(doc->get(), "upstream_addr");
            return upstream == "-" ? "" : upstream;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (std::chrono::steady_clock::now() < deadline);
    return "<not logged>";
}

}  // namespace e2e
