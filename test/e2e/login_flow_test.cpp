// The browser and API login flows end to end: session cookie, home page, root redirect, logout,
// session renewal on login, and the JSON login's user object.
#define BOOST_TEST_MODULE e2e_login_flow
#include <boost/test/unit_test.hpp>

#include "e2e/fixtures.hpp"

using namespace testing_support;
using e2e::cookie;
using e2e::kDemoPassword;

using e2e::EveryResponseChecked;
BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

namespace {

const std::string kUserForm = std::string("username=user1&password=") + kDemoPassword;
const std::string kUserJson =
    std::string(R"({"username":"user1","password":")") + kDemoPassword + R"("})";

}  // namespace

BOOST_AUTO_TEST_CASE(form_login_redirects_home_with_a_locked_down_session_cookie) {
    const auto r = post_form("/login", kUserForm);
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/home");
    const std::string line = r.set_cookie_line("sid");
    BOOST_TEST_REQUIRE(!line.empty());
    BOOST_TEST(r.set_cookie_value("sid").size() == 43u);
    BOOST_TEST(line.find("; HttpOnly") != std::string::npos, line);
    BOOST_TEST(line.find("; SameSite=Lax") != std::string::npos, line);
    BOOST_TEST(line.find("; Path=/") != std::string::npos, line);
}

BOOST_AUTO_TEST_CASE(home_page_shows_the_logged_in_users_profile) {
    const auto r = get("/home", {cookie(login("user1", kDemoPassword))});
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.header("content-type").starts_with("text/html"));
    BOOST_TEST(r.body.find("User One") != std::string::npos);
    BOOST_TEST(r.body.find("<dd>user1</dd>") != std::string::npos);
    BOOST_TEST(r.body.find(R"(<span class="role">user</span>)") != std::string::npos);
    BOOST_TEST(r.body.find("Edit profile") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(root_redirects_a_logged_in_browser_home) {
    const auto r = get("/", {cookie(login("user1", kDemoPassword))});
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/home");
}

BOOST_AUTO_TEST_CASE(root_redirects_an_anonymous_browser_to_login) {
    const auto r = get("/");
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/login");
}

BOOST_AUTO_TEST_CASE(logout_redirects_to_login_and_clears_the_cookie) {
    const std::string sid = login("user1", kDemoPassword);
    const auto r = post_form("/logout", e2e::csrf_field(sid), {cookie(sid)});
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/login");
    const std::string line = r.set_cookie_line("sid");
    BOOST_TEST(r.set_cookie_value("sid") == "");
    BOOST_TEST(line.find("Max-Age=0") != std::string::npos, line);
    BOOST_TEST(line.find("Path=/") != std::string::npos, line);
}

BOOST_AUTO_TEST_CASE(cookie_of_a_logged_out_session_no_longer_opens_home_or_the_api) {
    const std::string sid = login("user1", kDemoPassword);
    BOOST_TEST_REQUIRE(get("/home", {cookie(sid)}).status == 200);
    BOOST_TEST_REQUIRE(post_form("/logout", e2e::csrf_field(sid), {cookie(sid)}).status == 303);

    const auto home = get("/home", {cookie(sid)});
    BOOST_TEST(home.status == 303);
    BOOST_TEST(home.header("location") == "/login");
    const auto me = get("/api/v1/me", {cookie(sid)});
    BOOST_TEST(me.status == 401);
    BOOST_TEST(me.header("content-type") == "application/json");
    BOOST_TEST(e2e::json_error_code(me) == "unauthorized");
}

BOOST_AUTO_TEST_CASE(every_login_issues_a_new_session_id) {
    const std::string first = login("user1", kDemoPassword);
    const std::string second = login("user1", kDemoPassword);
    BOOST_TEST(first != second);
    BOOST_TEST(get("/home", {cookie(second)}).status == 200);
}

BOOST_AUTO_TEST_CASE(logging_in_with_an_old_cookie_ends_the_old_session) {
    const std::string old_sid = login("user1", kDemoPassword);
    const auto r = post_form("/login", kUserForm, {cookie(old_sid)});
    BOOST_TEST_REQUIRE(r.status == 303);
    const std::string new_sid = r.set_cookie_value("sid");
    BOOST_TEST(new_sid.size() == 43u);
    BOOST_TEST(new_sid != old_sid);

    BOOST_TEST(get("/home", {cookie(new_sid)}).status == 200);
    const auto home = get("/home", {cookie(old_sid)});
    BOOST_TEST(home.status == 303);
    BOOST_TEST(home.header("location") == "/login");
    BOOST_TEST(get("/api/v1/me", {cookie(old_sid)}).status == 401);
}

BOOST_AUTO_TEST_CASE(json_login_returns_the_user_object_and_a_session_cookie) {
    const auto r = send_json("POST", "/login", kUserJson);
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.header("content-type") == "application/json");
    auto doc = e2e::json_body(r);
    BOOST_TEST(e2e::json_string(doc.get(), "username") == "user1");
    BOOST_TEST(e2e::json_string(doc.get(), "display_name") == "User One");
    BOOST_TEST(json_is_integer(json_object_get(doc.get(), "id")));
    const json_t* roles = json_object_get(doc.get(), "roles");
    BOOST_TEST_REQUIRE(json_is_array(roles));
    BOOST_TEST_REQUIRE(json_array_size(roles) == 1u);
    BOOST_TEST(std::string(json_string_value(json_array_get(roles, 0))) == "user");

    const std::string sid = r.set_cookie_value("sid");
    BOOST_TEST(sid.size() == 43u);
    BOOST_TEST(get("/api/v1/me", {cookie(sid)}).status == 200);
}

BOOST_AUTO_TEST_CASE(json_login_body_mentions_no_hash_or_password) {
    const auto r = send_json("POST", "/login", kUserJson);
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.body.find("hash") == std::string::npos, r.body);
    BOOST_TEST(r.body.find("password") == std::string::npos, r.body);
    BOOST_TEST(r.body.find(kDemoPassword) == std::string::npos, r.body);
}

BOOST_AUTO_TEST_CASE(json_login_with_a_wrong_password_is_401_json_without_a_cookie) {
    const auto r = send_json("POST", "/login", R"({"username":"user1","password":"not-it"})");
    BOOST_TEST(r.status == 401);
    BOOST_TEST(r.header("content-type") == "application/json");
    BOOST_TEST(e2e::json_error_code(r) == "invalid_credentials");
    BOOST_TEST(r.set_cookie_line("sid") == "");
}

BOOST_AUTO_TEST_CASE(
    form_login_with_a_wrong_password_redirects_to_the_error_form_without_a_cookie) {
    const auto r = post_form("/login", "username=user1&password=not-it");
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/login?error=1");
    BOOST_TEST(r.set_cookie_line("sid") == "");
}

BOOST_AUTO_TEST_CASE(username_lookup_ignores_case) {
    const auto r = post_form("/login", std::string("username=USER1&password=") + kDemoPassword);
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/home");
}

BOOST_AUTO_TEST_CASE(api_logout_answers_204_and_ends_the_session) {
    const std::string sid = login("user1", kDemoPassword);
    const auto r = send({"POST", "/logout", {cookie(sid), "Accept: application/json"}, "", true});
    BOOST_TEST(r.status == 204);
    BOOST_TEST(r.set_cookie_line("sid").find("Max-Age=0") != std::string::npos);
    BOOST_TEST(get("/api/v1/me", {cookie(sid)}).status == 401);
}
