// Changing one's own profile through PATCH /api/v1/me and the POST /profile form, and seeing the
// change on the next page at once (the profile cache is invalidated on write).
#define BOOST_TEST_MODULE e2e_profile
#include <boost/test/unit_test.hpp>

#include "e2e/fixtures.hpp"
#include "http/parse.hpp"
#include "util/text.hpp"

using namespace testing_support;
using e2e::cookie;
using e2e::EveryResponseChecked;

BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

namespace {

// A throw-away user with a session whose home page has been rendered once, so that its profile
// sits in the cache before the test changes it.
struct LoggedInUser {
    e2e::TestUser user{"Before Change"};
    std::string sid = user.login();

    LoggedInUser() {
        const auto home = get("/home", {cookie(sid)});
        BOOST_TEST_REQUIRE(home.status == 200);
        BOOST_TEST_REQUIRE(home.body.find("Before Change") != std::string::npos);
    }

    HttpResponse home() const { return get("/home", {cookie(sid)}); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(profile, LoggedInUser)

BOOST_AUTO_TEST_CASE(patch_me_returns_the_new_display_name) {
    const auto r =
        send_json("PATCH", "/api/v1/me", R"({"display_name":"After Patch"})", {cookie(sid)});
    BOOST_TEST(r.status == 200);
    auto doc = e2e::json_body(r);
    BOOST_TEST(e2e::json_string(doc.get(), "display_name") == "After Patch");
    BOOST_TEST(e2e::json_string(doc.get(), "username") == user.username());
    BOOST_TEST(e2e::json_string(doc.get(), "email") == user.email());  // untouched
}

BOOST_AUTO_TEST_CASE(home_shows_a_patched_display_name_immediately) {
    BOOST_TEST_REQUIRE(
        send_json("PATCH", "/api/v1/me", R"({"display_name":"After Patch"})", {cookie(sid)})
            .status == 200);
    const auto r = home();
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body.find("After Patch") != std::string::npos);
    BOOST_TEST(r.body.find("Before Change") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(get_me_shows_a_patched_display_name_immediately) {
    BOOST_TEST_REQUIRE(
        send_json("PATCH", "/api/v1/me", R"({"display_name":"After Patch"})", {cookie(sid)})
            .status == 200);
    const auto r = get("/api/v1/me", {cookie(sid)});
    BOOST_TEST(r.status == 200);
    auto doc = e2e::json_body(r);
    BOOST_TEST(e2e::json_string(doc.get(), "display_name") == "After Patch");
}

BOOST_AUTO_TEST_CASE(patch_me_with_null_email_clears_it) {
    const auto r = send_json("PATCH", "/api/v1/me",
                             R"({"email":null,"current_password":")" + user.password() + R"("})",
                             {cookie(sid)});
    BOOST_TEST(r.status == 200);
    auto doc = e2e::json_body(r);
    BOOST_TEST(json_is_null(json_object_get(doc.get(), "email")));
    BOOST_TEST(e2e::json_string(doc.get(), "display_name") == "Before Change");
}

BOOST_AUTO_TEST_CASE(patch_me_with_an_invalid_email_is_422_and_changes_nothing) {
    const auto r =
        send_json("PATCH", "/api/v1/me", R"({"display_name":"Never Saved","email":"not-an-email"})",
                  {cookie(sid)});
    BOOST_TEST(r.status == 422);
    BOOST_TEST(e2e::json_error_code(r) == "validation_failed");
    BOOST_TEST(home().body.find("Before Change") != std::string::npos);
}

// Finding 9 of the second security review: bidirectional overrides and invisible-only names
// passed, so one name could pass for another on /admin.
BOOST_AUTO_TEST_CASE(invisible_or_text_direction_characters_in_a_display_name_are_422) {
    for (const std::string name : {R"(Admin One\u202e\u2066)", R"(\u200b)", R"(\u2066\u2069)",
                                   R"(Adm\u200din)", R"(\ufeff)", R"(\u3164)"}) {
        const auto r = send_json("PATCH", "/api/v1/me", R"({"display_name":")" + name + R"("})",
                                 {cookie(sid)});
        BOOST_TEST(r.status == 422, name);
        BOOST_TEST(e2e::json_error_code(r) == "validation_failed", name);
    }
    const auto form = post_form("/profile",
                                "display_name=" + util::url_encode("Admin One\u202e") + "&email=" +
                                    util::url_encode(user.email()) + "&" + e2e::csrf_field(sid),
                                {cookie(sid)});
    BOOST_TEST(form.status == 422);
    BOOST_TEST(home().body.find("Before Change") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(patch_me_with_nothing_to_change_is_422) {
    const auto r = send_json("PATCH", "/api/v1/me", "{}", {cookie(sid)});
    BOOST_TEST(r.status == 422);
    BOOST_TEST(e2e::json_error_code(r) == "validation_failed");
}

BOOST_AUTO_TEST_CASE(patch_me_without_a_session_is_401) {
    const auto r = send_json("PATCH", "/api/v1/me", R"({"display_name":"Nobody"})");
    BOOST_TEST(r.status == 401);
    BOOST_TEST(e2e::json_error_code(r) == "unauthorized");
}

BOOST_AUTO_TEST_CASE(changing_the_email_needs_the_current_password) {
    for (const std::string& given : {std::string(), std::string(R"(,"current_password":"wrong-password")")}) {
        const auto r = send_json("PATCH", "/api/v1/me", R"({"email":"new@example.com")" + given + "}",
                                 {cookie(sid)});
        BOOST_TEST(r.status == 422);
        const auto doc = e2e::json_body(r);
        const json_t* fields = json_object_get(json_object_get(doc.get(), "error"), "fields");
        BOOST_TEST(json_is_string(json_object_get(fields, "current_password")));
    }
    const auto form = post_form("/profile",
                                "display_name=Before+Change&email=new%40example.com&" +
                                    e2e::csrf_field(sid),
                                {cookie(sid)});
    BOOST_TEST(form.status == 422);
    BOOST_TEST(form.body.find(R"(id="current_password-error")") != std::string::npos);
    BOOST_TEST(home().body.find(user.email()) != std::string::npos);  // unchanged
    // A display name alone needs no password.
    BOOST_TEST(send_json("PATCH", "/api/v1/me", R"({"display_name":"No Password Needed"})",
                         {cookie(sid)})
                   .status == 200);
}

BOOST_AUTO_TEST_CASE(profile_form_redirects_home_and_home_shows_the_new_name) {
    const auto r = post_form("/profile",
                             "display_name=Form+Name&email=form%40example.com&current_password=" +
                                 util::url_encode(user.password()) + "&" + e2e::csrf_field(sid),
                             {cookie(sid)});
    BOOST_TEST(r.status == 303);
    // A new address waits for its verification link (e2e_verify follows it).
    BOOST_TEST(r.header("location") == "/home?email=pending");
    const auto page = home();
    BOOST_TEST(page.body.find("Welcome, Form Name") != std::string::npos);
    BOOST_TEST(page.body.find("form@example.com") == std::string::npos);
    BOOST_TEST(page.body.find(user.email()) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(profile_form_shows_the_current_values) {
    const auto r = get("/profile", {cookie(sid)});
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body.find(R"(value="Before Change")") != std::string::npos);
    BOOST_TEST(r.body.find("value=\"" + user.email() + "\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(profile_form_with_an_invalid_email_is_422_and_keeps_the_typed_values) {
    const auto r =
        post_form("/profile", "display_name=Typed+Name&email=not-an-email&" + e2e::csrf_field(sid), {cookie(sid)});
    BOOST_TEST(r.status == 422);
    BOOST_TEST(r.header("content-type").starts_with("text/html"));
    BOOST_TEST(r.body.find(R"(value="not-an-email")") != std::string::npos);
    BOOST_TEST(r.body.find(R"(value="Typed Name")") != std::string::npos);
    BOOST_TEST(r.body.find(R"(role="alert")") != std::string::npos);
    BOOST_TEST(home().body.find("Before Change") != std::string::npos);  // nothing saved
}

BOOST_AUTO_TEST_CASE(profile_form_escapes_the_typed_values_it_shows_again) {
    const auto r = post_form("/profile", "display_name=A&email=bad%22%3Cx%3E&" + e2e::csrf_field(sid), {cookie(sid)});
    BOOST_TEST(r.status == 422);
    BOOST_TEST(r.body.find(R"(value="bad&quot;&lt;x&gt;")") != std::string::npos);
    BOOST_TEST(r.body.find("bad\"<x>") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(profile_form_with_a_blank_display_name_is_422) {
    const auto r = post_form("/profile", "display_name=+++&email=&" + e2e::csrf_field(sid), {cookie(sid)});
    BOOST_TEST(r.status == 422);
    BOOST_TEST(home().body.find("Before Change") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(profile_form_without_a_session_redirects_to_login) {
    const auto r = post_form("/profile", "display_name=Nobody&email=");
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/login");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(display_name_is_html_escaped_on_the_home_page) {
    const e2e::TestUser user("Before Change");
    const std::string sid = user.login();
    BOOST_TEST_REQUIRE(send_json("PATCH", "/api/v1/me",
                                 R"({"display_name":"<script>x</script> & co"})", {cookie(sid)})
                           .status == 200);
    const auto r = get("/home", {cookie(sid)});
    BOOST_TEST(r.body.find("&lt;script&gt;x&lt;/script&gt; &amp; co") != std::string::npos);
    BOOST_TEST(r.body.find("<script>") == std::string::npos);
}
