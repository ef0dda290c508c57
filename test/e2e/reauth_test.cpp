// Re-authentication seen from outside: every check of the current password (a new email address,
// a new password) is limited like a login, audited, and ends the session after 5 wrong ones in a
// row. Finding 3 of the second security review: with a stolen session the password could be
// guessed at hashing speed, and none of the attempts left a trace.
#define BOOST_TEST_MODULE e2e_reauth
#include <boost/test/unit_test.hpp>
#include <fstream>

#include "e2e/fixtures.hpp"
#include "util/text.hpp"
#include "http/parse.hpp"

using namespace testing_support;
using e2e::cookie;
using e2e::TestUser;

using e2e::EveryResponseChecked;
BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

namespace {

HttpResponse change_email(const std::string& sid, const std::string& current) {
    return send_json("PATCH", "/api/v1/me",
                     R"({"email":"moved-)" + random_suffix() +
                         R"(@example.com","current_password":")" + current + R"("})",
                     {cookie(sid)});
}

HttpResponse change_password_form(const std::string& sid, const std::string& current) {
    const std::string token = e2e::csrf_field(sid);
    return post_form("/password",
                     token + "&current_password=" + util::url_encode(current) +
                         "&new_password=another-new-password",
                     {cookie(sid)});
}

// The audit line the auth pool wrote for one request (by its X-Request-Id), "" when none. The
// workers write their log a moment after answering, so this rereads it for up to two seconds.
std::string audit_line(const HttpResponse& r, const std::string& event) {
    const std::string request_id = r.header("x-request-id");
    BOOST_TEST_REQUIRE(!request_id.empty());
    const std::string path = require_env("TEST_STACK_DIR") + "/log/auth.log";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    do {
        std::ifstream in(path);
        for (std::string line; std::getline(in, line);)
            if (line.find(request_id) != std::string::npos &&
                line.find("\"event\":\"" + event + "\"") != std::string::npos)
                return line;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    } while (std::chrono::steady_clock::now() < deadline);
    return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(guessing_the_current_password_ends_the_session_at_the_fifth_wrong_one) {
    TestUser user;
    const std::string sid = user.login();
    for (int i = 1; i <= 4; ++i) {
        const auto r = change_email(sid, "guess-" + std::to_string(i));
        BOOST_TEST(r.status == 422);
        const std::string line = audit_line(r, "reauth_failed");
        BOOST_TEST(
            line.find("\"user_id\":\"" + std::to_string(user.id()) + "\"") != std::string::npos,
            line);
        BOOST_TEST(line.find("\"purpose\":\"email_change\"") != std::string::npos, line);
        BOOST_TEST(line.find("guess-") == std::string::npos, "the guess itself is never logged");
    }
    const auto fifth = change_email(sid, "guess-5");
    BOOST_TEST(fifth.status == 401);
    BOOST_TEST(e2e::json_error_code(fifth) == "session_ended");
    BOOST_TEST(fifth.set_cookie_line("sid").find("Max-Age=0") != std::string::npos);
    BOOST_TEST(!audit_line(fifth, "reauth_failed").empty());
    BOOST_TEST(get("/api/v1/me", {cookie(sid)}).status == 401);
    // The email never changed, and the guesses counted for the account like failed logins: a
    // login right away has to wait.
    const auto login = post_form(
        "/login", "username=" + user.username() + "&password=" + util::url_encode(user.password()));
    BOOST_TEST(login.status == 429);
}

BOOST_AUTO_TEST_CASE(the_password_form_is_limited_and_audited_the_same_way) {
    TestUser user;
    const std::string sid = user.login();
    for (int i = 1; i <= 4; ++i) BOOST_TEST(change_password_form(sid, "wrong").status == 422);
    const auto fifth = change_password_form(sid, "wrong");
    BOOST_TEST(fifth.status == 401);
    BOOST_TEST(fifth.header("content-type").starts_with("text/html"));
    const std::string line = audit_line(fifth, "reauth_failed");
    BOOST_TEST(line.find("\"purpose\":\"password_change\"") != std::string::npos, line);
    BOOST_TEST(line.find("\"session_ended\":\"true\"") != std::string::npos, line);
    BOOST_TEST(get("/home", {cookie(sid)}).status == 303);
}

BOOST_AUTO_TEST_CASE(a_right_current_password_is_audited_and_the_change_goes_through) {
    TestUser user;
    const std::string sid = user.login();
    BOOST_TEST(change_email(sid, "typo").status == 422);
    const auto r = change_email(sid, user.password());
    BOOST_TEST(r.status == 200);
    const std::string line = audit_line(r, "reauth_succeeded");
    BOOST_TEST(line.find("\"user_id\":\"" + std::to_string(user.id()) + "\"") != std::string::npos,
               line);
    BOOST_TEST(audit_line(r, "reauth_failed").empty());
}
