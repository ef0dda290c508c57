// GET and PATCH /api/v1/users/{id}: the user object, strong ETags with If-None-Match and
// If-Match, validation, disabling a user (which ends their sessions), and the legacy aliases.
#define BOOST_TEST_MODULE e2e_api_users
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <ostream>
#include <vector>

#include "e2e/api_fixtures.hpp"
#include "util/text.hpp"

using namespace testing_support;
namespace data = boost::unit_test::data;
using e2e::bearer;
using e2e::cookie;
using e2e::kDemoToken;

using e2e::EveryApiResponseChecked;
BOOST_TEST_GLOBAL_FIXTURE(EveryApiResponseChecked);

namespace {

const std::string kRead = bearer(kDemoToken);

std::string user_path(int64_t id) {
    return "/api/v1/users/" + std::to_string(id);
}

// One client that may read and change users, for the whole program.
const e2e::ApiClient& shared_writer() {
    static const e2e::ApiClient writer({"users:read", "users:write"});
    return writer;
}

// A throw-away user and a client that may read and change users.
struct Target {
    e2e::TestUser user{"Target Person"};
    const e2e::ApiClient& writer = shared_writer();

    std::string path() const { return user_path(user.id()); }

    HttpResponse read(const std::vector<std::string>& extra = {}) const {
        auto headers = extra;
        headers.push_back(kRead);
        return get(path(), headers);
    }

    std::string etag() const {
        const auto r = read();
        BOOST_TEST_REQUIRE(r.status == 200);
        BOOST_TEST_REQUIRE(!r.header("etag").empty());
        return r.header("etag");
    }

    HttpResponse patch(const std::string& body, const std::vector<std::string>& extra = {}) const {
        auto headers = extra;
        headers.push_back(writer.auth());
        return send_json("PATCH", path(), body, headers);
    }

    // The user as GET shows it now, as compact JSON text.
    std::string current_json() const {
        const auto r = read();
        BOOST_TEST_REQUIRE(r.status == 200);
        return r.body;
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(get_user, Target)

BOOST_AUTO_TEST_CASE(user_has_exactly_the_nine_documented_keys) {
    const auto r = read();
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.header("content-type").starts_with("application/json"));
    auto doc = e2e::json_body(r);
    BOOST_TEST(e2e::keys_of(doc.get()) == e2e::user_keys(), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(user_shows_the_stored_values) {
    auto doc = e2e::json_body(read());
    const json_t* u = doc.get();
    BOOST_TEST(e2e::json_int(u, "id") == user.id());
    BOOST_TEST(e2e::json_string(u, "username") == user.username());
    BOOST_TEST(e2e::json_string(u, "display_name") == "Target Person");
    BOOST_TEST(e2e::json_string(u, "email") == user.email());
    BOOST_TEST(e2e::json_strings(u, "roles") == std::vector<std::string>{"user"},
               boost::test_tools::per_element());
    BOOST_TEST(json_is_true(json_object_get(u, "enabled")));
    BOOST_TEST(util::is_rfc3339(e2e::json_string(u, "created_at")));
    BOOST_TEST(util::is_rfc3339(e2e::json_string(u, "updated_at")));
    BOOST_TEST(json_is_null(json_object_get(u, "last_login_at")));
}

BOOST_AUTO_TEST_CASE(user_is_sent_with_a_strong_etag) {
    const std::string etag = read().header("etag");
    BOOST_TEST(etag.size() > 2u);
    BOOST_TEST(etag.starts_with("\""), etag);
    BOOST_TEST(etag.ends_with("\""), etag);
}

BOOST_AUTO_TEST_CASE(same_user_read_twice_has_the_same_etag) {
    BOOST_TEST(etag() == etag());
}

BOOST_AUTO_TEST_CASE(if_none_match_with_the_current_etag_is_304_with_an_empty_body) {
    const std::string tag = etag();
    const auto r = read({"If-None-Match: " + tag});
    BOOST_TEST(r.status == 304);
    BOOST_TEST(r.body == "");
    BOOST_TEST(r.header("etag") == tag);
}

BOOST_AUTO_TEST_CASE(if_none_match_with_the_weak_form_of_the_current_etag_is_304) {
    const auto r = read({"If-None-Match: W/" + etag()});
    BOOST_TEST(r.status == 304);
}

BOOST_AUTO_TEST_CASE(if_none_match_listing_the_current_etag_among_others_is_304) {
    const auto r = read({"If-None-Match: \"0123\", " + etag() + ", \"4567\""});
    BOOST_TEST(r.status == 304);
}

BOOST_AUTO_TEST_CASE(if_none_match_with_an_etag_from_before_a_patch_is_200) {
    const std::string stale = etag();
    BOOST_TEST_REQUIRE(patch(R"({"display_name":"Moved On"})").status == 200);
    const auto r = read({"If-None-Match: " + stale});
    BOOST_TEST(r.status == 200);
    BOOST_TEST(e2e::json_string(e2e::json_body(r).get(), "display_name") == "Moved On");
}

BOOST_AUTO_TEST_CASE(if_none_match_with_an_unrelated_etag_is_200) {
    BOOST_TEST(read({"If-None-Match: \"not-this-one\""}).status == 200);
}

BOOST_AUTO_TEST_CASE(etag_changes_after_a_patch) {
    const std::string before = etag();
    const auto r = patch(R"({"display_name":"New Name"})");
    BOOST_TEST_REQUIRE(r.status == 200);
    const std::string after = etag();
    BOOST_TEST(after != before);
    BOOST_TEST(r.header("etag") == after);  // the PATCH response carries the new one
}

BOOST_AUTO_TEST_CASE(unknown_user_is_404_json) {
    for (const std::string id : {"9223372036854775807", "999999999"}) {
        const auto r = get("/api/v1/users/" + id, {kRead});
        BOOST_TEST(r.status == 404, id);
        BOOST_TEST(r.header("content-type").starts_with("application/json"));
        BOOST_TEST(e2e::json_error_code(r) == "not_found");
    }
}

BOOST_AUTO_TEST_CASE(deleted_user_is_404) {
    int64_t id = 0;
    {
        const e2e::TestUser gone;
        id = gone.id();
        BOOST_TEST_REQUIRE(get(user_path(id), {kRead}).status == 200);
    }
    BOOST_TEST(get(user_path(id), {kRead}).status == 404);
}

BOOST_AUTO_TEST_CASE(query_parameters_on_a_user_are_400) {
    BOOST_TEST(get(path() + "?fields=id", {kRead}).status == 400);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// clang-format off
const std::vector<std::string> kBadIds = {
    "abc", "0", "-1", "99999999999999999999", "9223372036854775808", "1.0", "0x10",
    "%2B1", "1e3", "%201", "1%20", "00000000000000000000000001x"};
// clang-format on

}  // namespace

BOOST_DATA_TEST_CASE(malformed_user_id_is_400, data::make(kBadIds), id) {
    const auto r = get("/api/v1/users/" + id, {kRead});
    BOOST_TEST(r.status == 400);
    BOOST_TEST(r.header("content-type").starts_with("application/json"));
}

BOOST_DATA_TEST_CASE(malformed_user_id_in_a_patch_is_400, data::make(kBadIds), id) {
    const auto r = send_json("PATCH", "/api/v1/users/" + id, R"({"display_name":"X"})",
                             {shared_writer().auth()});
    BOOST_TEST(r.status == 400);
}

BOOST_FIXTURE_TEST_SUITE(patch_user, Target)

BOOST_AUTO_TEST_CASE(patch_changes_display_name_email_enabled_and_roles) {
    const auto r = patch(
        R"({"display_name":"Renamed","email":"renamed@example.com","enabled":false,"roles":["admin","user"]})");
    BOOST_TEST_REQUIRE(r.status == 200);
    auto doc = e2e::json_body(r);
    BOOST_TEST(e2e::json_string(doc.get(), "display_name") == "Renamed");
    BOOST_TEST(e2e::json_string(doc.get(), "email") == "renamed@example.com");
    BOOST_TEST(json_is_false(json_object_get(doc.get(), "enabled")));
    BOOST_TEST(e2e::json_strings(doc.get(), "roles") == (std::vector<std::string>{"admin", "user"}),
               boost::test_tools::per_element());
    BOOST_TEST(e2e::keys_of(doc.get()) == e2e::user_keys(), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(get_after_patch_shows_the_change_even_when_the_user_was_cached) {
    current_json();  // warms the profile cache
    BOOST_TEST_REQUIRE(patch(R"({"display_name":"Fresh","roles":["admin"]})").status == 200);
    auto doc = e2e::json_body(read());
    BOOST_TEST(e2e::json_string(doc.get(), "display_name") == "Fresh");
    BOOST_TEST(e2e::json_strings(doc.get(), "roles") == std::vector<std::string>{"admin"},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(patch_response_is_what_get_shows_next) {
    const auto r = patch(R"({"email":"same@example.com"})");
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(r.body == current_json());
}

BOOST_AUTO_TEST_CASE(patch_leaves_the_fields_it_does_not_name_unchanged) {
    BOOST_TEST_REQUIRE(patch(R"({"display_name":"Only This"})").status == 200);
    auto doc = e2e::json_body(read());
    BOOST_TEST(e2e::json_string(doc.get(), "email") == user.email());
    BOOST_TEST(e2e::json_string(doc.get(), "username") == user.username());
    BOOST_TEST(json_is_true(json_object_get(doc.get(), "enabled")));
    BOOST_TEST(e2e::json_strings(doc.get(), "roles") == std::vector<std::string>{"user"},
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(patch_with_a_null_email_clears_it) {
    const auto r = patch(R"({"email":null})");
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(json_is_null(json_object_get(e2e::json_body(r).get(), "email")));
}

BOOST_AUTO_TEST_CASE(patch_with_repeated_roles_stores_each_once) {
    const auto r = patch(R"({"roles":["admin","admin","user"]})");
    BOOST_TEST_REQUIRE(r.status == 200);
    BOOST_TEST(e2e::json_strings(e2e::json_body(r).get(), "roles") ==
                   (std::vector<std::string>{"admin", "user"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(patch_with_if_match_of_the_current_etag_is_200) {
    const auto r = patch(R"({"display_name":"Matched"})", {"If-Match: " + etag()});
    BOOST_TEST(r.status == 200);
    BOOST_TEST(e2e::json_string(e2e::json_body(r).get(), "display_name") == "Matched");
}

BOOST_AUTO_TEST_CASE(patch_with_a_stale_if_match_is_412_and_changes_nothing) {
    const std::string stale = etag();
    BOOST_TEST_REQUIRE(patch(R"({"display_name":"First Writer"})").status == 200);
    const std::string before = current_json();
    const auto r = patch(R"({"display_name":"Second Writer"})", {"If-Match: " + stale});
    BOOST_TEST(r.status == 412);
    BOOST_TEST(e2e::json_error_code(r) == "precondition_failed");
    BOOST_TEST(current_json() == before);
}

BOOST_AUTO_TEST_CASE(patch_with_a_weak_if_match_is_412_because_if_match_compares_strongly) {
    const std::string before = current_json();
    const auto r = patch(R"({"display_name":"Weakly Matched"})", {"If-Match: W/" + etag()});
    BOOST_TEST(r.status == 412);
    BOOST_TEST(current_json() == before);
}

BOOST_AUTO_TEST_CASE(patch_with_if_match_star_is_200) {
    BOOST_TEST(patch(R"({"display_name":"Any Version"})", {"If-Match: *"}).status == 200);
}

BOOST_AUTO_TEST_CASE(patch_of_an_unknown_user_is_404) {
    const auto r = send_json("PATCH", "/api/v1/users/9223372036854775807",
                             R"({"display_name":"Nobody"})", {writer.auth()});
    BOOST_TEST(r.status == 404);
    BOOST_TEST(e2e::json_error_code(r) == "not_found");
}

BOOST_AUTO_TEST_CASE(patch_as_text_plain_is_415_and_changes_nothing) {
    const std::string before = current_json();
    const auto r = send({"PATCH",
                         path(),
                         {writer.auth(), "Content-Type: text/plain"},
                         R"({"display_name":"Plain Text"})",
                         true});
    BOOST_TEST(r.status == 415);
    BOOST_TEST(e2e::json_error_code(r) == "unsupported_media_type");
    BOOST_TEST(current_json() == before);
}

BOOST_AUTO_TEST_CASE(patch_accepting_only_html_is_406_and_changes_nothing) {
    const std::string before = current_json();
    const auto r = patch(R"({"display_name":"Html Please"})", {"Accept: text/html"});
    BOOST_TEST(r.status == 406);
    BOOST_TEST(current_json() == before);
}

BOOST_AUTO_TEST_CASE(get_accepting_only_html_is_406) {
    BOOST_TEST(read({"Accept: text/html"}).status == 406);
    BOOST_TEST(get("/api/v1/users?limit=1", {kRead, "Accept: text/html"}).status == 406);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// One PATCH body that must be refused, and the status it gets.
struct BadPatch {
    const char* name;
    std::string body;
    long status;
};

std::ostream& operator<<(std::ostream& os, const BadPatch& p) {
    return os << p.name;
}

// clang-format off
const std::vector<BadPatch> kBadPatches = {
    {"unknown_role", R"({"roles":["root"]})", 422},
    {"no_roles", R"({"roles":[]})", 422},
    {"roles_not_an_array", R"({"roles":"admin"})", 422},
    {"role_not_a_string", R"({"roles":[1]})", 422},
    {"role_in_upper_case", R"({"roles":["ADMIN"]})", 422},
    {"known_and_unknown_roles", R"({"roles":["user","root"]})", 422},
    {"enabled_as_a_string", R"({"enabled":"yes"})", 422},
    {"enabled_as_a_number", R"({"enabled":1})", 422},
    {"enabled_null", R"({"enabled":null})", 422},
    {"email_without_at", R"({"email":"nope"})", 422},
    {"email_as_a_number", R"({"email":5})", 422},
    {"email_too_long", R"({"email":")" + std::string(250, 'a') + R"(@example.com"})", 422},
    {"display_name_blank", R"({"display_name":"   "})", 422},
    {"display_name_too_long", R"({"display_name":")" + std::string(101, 'x') + R"("})", 422},
    {"display_name_not_a_string", R"({"display_name":["x"]})", 422},
    {"valid_name_with_invalid_role", R"({"display_name":"Fine","roles":["root"]})", 422},
    {"nothing_to_change", R"({})", 422},
    {"unknown_field", R"({"nickname":"x"})", 400},
    {"password_hash_field", R"({"password_hash":"$s1$x"})", 400},
    {"username_field", R"({"username":"someone-else"})", 400},
    {"id_field", R"({"id":1})", 400},
    {"session_generation_field", R"({"session_generation":0})", 400},
    {"known_and_unknown_fields", R"({"display_name":"Fine","admin":true})", 400},
    {"malformed_json", R"({"display_name":)", 400},
    {"json_array", R"([{"display_name":"x"}])", 400},
    {"json_string", R"("x")", 400},
};
// clang-format on

}  // namespace

BOOST_DATA_TEST_CASE(invalid_patch_is_refused_and_changes_nothing, data::make(kBadPatches), p) {
    const Target target;
    const std::string before = target.current_json();
    const auto r = target.patch(p.body);
    BOOST_TEST(r.status == p.status);
    BOOST_TEST(r.header("content-type").starts_with("application/json"));
    if (p.status == 422) BOOST_TEST(e2e::json_error_code(r) == "validation_failed");
    BOOST_TEST(target.current_json() == before);
}

namespace {

// A throw-away user logged in through the form, whose home page has been rendered once (so
// that the profile is cached), and a client that may change users.
struct LoggedInTarget : Target {
    std::string sid = user.login();

    LoggedInTarget() { BOOST_TEST_REQUIRE(home().status == 200); }

    HttpResponse home() const { return get("/home", {cookie(sid)}); }
    HttpResponse me() const { return get("/api/v1/me", {cookie(sid)}); }

    HttpResponse login_form() const {
        return post_form("/login", "username=" + util::url_encode(user.username()) +
                                       "&password=" + util::url_encode(user.password()));
    }

    void set_enabled(bool enabled) const {
        BOOST_TEST_REQUIRE(
            patch(std::string(R"({"enabled":)") + (enabled ? "true" : "false") + "}").status ==
            200);
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(disabling, LoggedInTarget)

BOOST_AUTO_TEST_CASE(disabling_a_user_sends_their_session_from_home_to_login) {
    set_enabled(false);
    const auto r = home();
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/login");
}

BOOST_AUTO_TEST_CASE(disabling_a_user_makes_their_session_401_on_api_me) {
    BOOST_TEST_REQUIRE(me().status == 200);
    set_enabled(false);
    const auto r = me();
    BOOST_TEST(r.status == 401);
    BOOST_TEST(e2e::json_error_code(r) == "unauthorized");
}

BOOST_AUTO_TEST_CASE(disabled_user_cannot_log_in) {
    set_enabled(false);
    const auto r = login_form();
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/login?error=1");
    BOOST_TEST(r.set_cookie_value("sid") == "");
}

BOOST_AUTO_TEST_CASE(re_enabled_user_can_log_in_again) {
    set_enabled(false);
    set_enabled(true);
    const auto r = login_form();
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/home");
    const std::string fresh = r.set_cookie_value("sid");
    BOOST_TEST_REQUIRE(!fresh.empty());
    BOOST_TEST(get("/home", {cookie(fresh)}).status == 200);
}

BOOST_AUTO_TEST_CASE(re_enabling_a_user_does_not_revive_the_old_session) {
    set_enabled(false);
    set_enabled(true);
    const auto r = home();
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/login");
    BOOST_TEST(me().status == 401);
}

BOOST_AUTO_TEST_CASE(patching_names_or_the_same_roles_keeps_the_session_alive) {
    BOOST_TEST_REQUIRE(patch(R"({"display_name":"Still Here","roles":["user"]})").status == 200);
    set_enabled(true);  // already enabled
    BOOST_TEST(home().status == 200);
    BOOST_TEST(me().status == 200);
}

// A privilege change ends the user's sessions, so that the next session, with its new id, is
// the only one that carries the new roles.
BOOST_AUTO_TEST_CASE(a_role_change_ends_the_users_sessions) {
    BOOST_TEST_REQUIRE(patch(R"({"roles":["admin","user"]})").status == 200);
    const auto r = home();
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == "/login");
    BOOST_TEST(me().status == 401);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(aliases, Target)

BOOST_AUTO_TEST_CASE(users_alias_returns_the_same_json_as_the_v1_list) {
    const auto alias = get("/users?limit=5", {kRead});
    const auto v1 = get("/api/v1/users?limit=5", {kRead});
    BOOST_TEST_REQUIRE(alias.status == 200);
    BOOST_TEST_REQUIRE(v1.status == 200);
    BOOST_TEST(alias.body == v1.body);
    BOOST_TEST(alias.header("link") == v1.header("link"));
}

BOOST_AUTO_TEST_CASE(user_alias_returns_the_same_json_and_etag_as_the_v1_route) {
    const auto alias = get("/user/" + std::to_string(user.id()), {kRead});
    const auto v1 = read();
    BOOST_TEST_REQUIRE(alias.status == 200);
    BOOST_TEST(alias.body == v1.body);
    BOOST_TEST(alias.header("etag") == v1.header("etag"));
}

BOOST_AUTO_TEST_CASE(user_alias_honours_if_none_match) {
    const auto r = get("/user/" + std::to_string(user.id()), {kRead, "If-None-Match: " + etag()});
    BOOST_TEST(r.status == 304);
}

BOOST_AUTO_TEST_CASE(alias_errors_are_json_like_the_v1_routes) {
    const std::vector<std::pair<std::string, std::vector<std::string>>> requests = {
        {"/users", {}},                          // 401
        {"/users?limit=0", {kRead}},             // 400
        {"/user/abc", {kRead}},                  // 400
        {"/user/9223372036854775807", {kRead}},  // 404
    };
    for (const auto& [path, headers] : requests) {
        const auto r = get(path, headers);
        BOOST_TEST(r.status >= 400, path);
        BOOST_TEST(r.header("content-type").starts_with("application/json"), path);
        BOOST_TEST(util::json_parse(r.body, nullptr).has_value(), path);
    }
}

BOOST_AUTO_TEST_CASE(user_alias_is_read_only) {
    const auto r = send_json("PATCH", "/user/" + std::to_string(user.id()),
                             R"({"display_name":"Via Alias"})", {writer.auth()});
    BOOST_TEST(r.status == 405);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_CASE(no_api_response_carries_a_password_hash_or_a_hash_key, Target) {
    // The global fixture checks every response; these are the ones that show user rows.
    std::vector<HttpResponse> responses = {
        read(), get("/api/v1/users?limit=1000", {kRead}), get("/users?limit=1000", {kRead}),
        patch(R"({"display_name":"Hashless"})"), get("/api/v1/me", {cookie(user.login())})};
    for (const auto& r : responses) {
        BOOST_TEST(r.status == 200);
        BOOST_TEST(!e2e::mentions(r, e2e::kHashMarker));
        auto doc = e2e::json_body(r);
        BOOST_TEST(e2e::key_containing(doc.get(), "hash") == "");
        BOOST_TEST(e2e::key_containing(doc.get(), "password") == "");
        BOOST_TEST(e2e::key_containing(doc.get(), "generation") == "");
    }
}
