// A failed login looks the same whatever the reason: wrong password, unknown username or a
// disabled account get byte-identical status, Location, body and cookies (form and JSON).
#define BOOST_TEST_MODULE e2e_same_response
#include <boost/test/unit_test.hpp>

#include "e2e/fixtures.hpp"
#include "http/parse.hpp"
#include "util/text.hpp"

using namespace testing_support;
using e2e::EveryResponseChecked;

BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

namespace {

// The parts of a response a client can tell apart, besides time (request ids differ by design).
struct Outcome {
    long status;
    std::string location;
    std::string content_type;
    std::string set_cookie;
    std::string body;
};

Outcome outcome(const HttpResponse& r) {
    return {r.status, r.header("location"), r.header("content-type"), r.header("set-cookie"),
            r.body};
}

void check_same(const Outcome& expected, const Outcome& actual) {
    BOOST_TEST(actual.status == expected.status);
    BOOST_TEST(actual.location == expected.location);
    BOOST_TEST(actual.content_type == expected.content_type);
    BOOST_TEST(actual.set_cookie == expected.set_cookie);
    BOOST_TEST(actual.body == expected.body);
}

Outcome form_login(const std::string& username, const std::string& password) {
    return outcome(post_form("/login", "username=" + util::url_encode(username) +
                                           "&password=" + util::url_encode(password)));
}

Outcome json_login(const std::string& username, const std::string& password) {
    // Usernames and passwords here are plain ASCII without quotes or backslashes.
    return outcome(
        send_json("POST", "/login",
                  R"({"username":")" + username + R"(","password":")" + password + R"("})"));
}

std::string unknown_username() {
    return "nobody-" + random_suffix();
}

}  // namespace

BOOST_AUTO_TEST_CASE(form_wrong_password_and_unknown_username_get_the_same_response) {
    const Outcome wrong_password = form_login("user1", "not-the-password");
    BOOST_TEST(wrong_password.status == 303);
    BOOST_TEST(wrong_password.location == "/login?error=1");
    check_same(wrong_password, form_login(unknown_username(), "not-the-password"));
}

BOOST_AUTO_TEST_CASE(json_wrong_password_and_unknown_username_get_the_same_response) {
    const Outcome wrong_password = json_login("user1", "not-the-password");
    BOOST_TEST(wrong_password.status == 401);
    check_same(wrong_password, json_login(unknown_username(), "not-the-password"));
}

BOOST_AUTO_TEST_CASE(form_login_of_a_disabled_user_with_the_right_password_gets_the_same_response) {
    const e2e::TestUser disabled("Disabled Person", false);
    const Outcome wrong_password = form_login("user1", "not-the-password");
    check_same(wrong_password, form_login(disabled.username(), disabled.password()));
}

BOOST_AUTO_TEST_CASE(json_login_of_a_disabled_user_with_the_right_password_gets_the_same_response) {
    const e2e::TestUser disabled("Disabled Person", false);
    const Outcome wrong_password = json_login("user1", "not-the-password");
    check_same(wrong_password, json_login(disabled.username(), disabled.password()));
}

BOOST_AUTO_TEST_CASE(an_enabled_test_user_logs_in_with_its_password) {
    // The control for the disabled cases: users inserted this way can log in when enabled.
    const e2e::TestUser enabled("Enabled Person", true);
    const auto r =
        post_form("/login", "username=" + enabled.username() + "&password=" + enabled.password());
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/home");
}
