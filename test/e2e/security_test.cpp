// The anti-automation, cross-site and session-management defences seen from outside: each
// test fails if its defence is removed.
#define BOOST_TEST_MODULE e2e_security
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <thread>

#include "e2e/api_fixtures.hpp"
#include "e2e/fixtures.hpp"
#include "http/parse.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

using namespace testing_support;
using e2e::cookie;
using e2e::fresh_loopback_address;
using e2e::TestUser;

using e2e::EveryResponseChecked;
BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

namespace {

constexpr const char* kForm = "Content-Type: application/x-www-form-urlencoded";

std::string login_body(const std::string& username, const std::string& password) {
    return "username=" + util::url_encode(username) + "&password=" + util::url_encode(password);
}

// A form login with extra headers, sent from source (a loopback address; "" = 127.0.0.1).
HttpResponse form_login(const std::string& username, const std::string& password,
                        std::vector<std::string> headers = {}, const std::string& source = "") {
    headers.push_back(kForm);
    return send({"POST", "/login", headers, login_body(username, password), true, source});
}

std::string did_cookie(const HttpResponse& r) { return "did=" + r.set_cookie_value("did"); }

std::string origin() { return "Origin: " + require_env("TEST_BASE_URL"); }

// The JSON session list of sid.
util::Json sessions_of(const std::string& sid) {
    const auto r = get("/api/v1/me/sessions", {cookie(sid)});
    BOOST_TEST_REQUIRE(r.status == 200);
    return e2e::json_body(r);
}

const json_t* session_entries(const util::Json& doc) {
    const json_t* list = json_object_get(doc.get(), "sessions");
    BOOST_TEST_REQUIRE(json_is_array(list));
    return list;
}

// The entry of the current session in a session list.
const json_t* current_entry(const util::Json& doc) {
    const json_t* list = session_entries(doc);
    for (size_t i = 0; i < json_array_size(list); ++i)
        if (json_is_true(json_object_get(json_array_get(list, i), "current")))
            return json_array_get(list, i);
    BOOST_FAIL("no current session in the list");
    return nullptr;
}

std::string display_name_of(const std::string& sid) {
    const auto me = get("/api/v1/me", {cookie(sid)});
    BOOST_TEST_REQUIRE(me.status == 200);
    return e2e::json_string(e2e::json_body(me).get(), "display_name");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(login_throttling)

BOOST_AUTO_TEST_CASE(repeated_failures_get_429_but_the_usual_browser_still_gets_in) {
    TestUser user;
    const auto first = form_login(user.username(), user.password());
    BOOST_TEST_REQUIRE(first.status == 303);
    const std::string device = did_cookie(first);
    BOOST_TEST_REQUIRE(device.size() > 4u);
    BOOST_TEST(first.set_cookie_line("did").find("HttpOnly") != std::string::npos);

    // The free failures (LOGIN_RATE_LOGIN_FREE_FAILURES, 5) are ordinary failures...
    for (int i = 0; i < 5; ++i) {
        const auto r = form_login(user.username(), "wrong-password");
        BOOST_TEST(r.status == 303);
        BOOST_TEST(r.header("location") == "/login?error=1");
    }
    // ...then the account waits: 429 with Retry-After, even with the right password...
    const auto throttled = form_login(user.username(), "wrong-password");
    BOOST_TEST(throttled.status == 429);
    BOOST_TEST(std::stoi(throttled.header("retry-after")) >= 1);
    const auto right_password = form_login(user.username(), user.password());
    BOOST_TEST(right_password.status == 429);
    BOOST_TEST(right_password.set_cookie_value("sid").empty());
    // ...except from the browser that logged in before: the attacker cannot lock the owner out.
    const auto owner = form_login(user.username(), user.password(), {"Cookie: " + device});
    BOOST_TEST(owner.status == 303);
    BOOST_TEST(owner.header("location") == "/home");
    BOOST_TEST(owner.set_cookie_value("sid").size() == 43u);
}

BOOST_AUTO_TEST_SUITE_END()

// Finding 2: the did cookie exempted its holder from every limit, survived a password change and
// a disabled account, was adopted from any client, and its failures still locked the owner out.
// Each test sends from an address of its own, so that its failures stay out of other tests'
// per-network counts.
struct Browser {
    std::string from = fresh_loopback_address();

    HttpResponse login(const TestUser& user, const std::string& password,
                       const std::string& cookies = "") const {
        std::vector<std::string> headers;
        if (!cookies.empty()) headers.push_back("Cookie: " + cookies);
        return form_login(user.username(), password, headers, from);
    }

    // Fails from a browser without a device cookie until the account waits (429): the next
    // attempt from such a browser is refused even with the right password.
    void throttle(const TestUser& user) const {
        for (int i = 0; i < 10 && login(user, "wrong").status != 429; ++i) {
        }
        BOOST_TEST_REQUIRE(login(user, user.password()).status == 429);
    }

    // True when the device cookie still gets its holder past the throttled account.
    bool known(const TestUser& user, const std::string& device) const {
        return login(user, user.password(), device).status == 303;
    }
};

BOOST_FIXTURE_TEST_SUITE(known_devices, Browser)

BOOST_AUTO_TEST_CASE(a_made_up_device_cookie_is_ignored_and_never_adopted) {
    TestUser user;
    const std::string made_up = "did=" + util::random_token(32);
    const auto r = login(user, user.password(), made_up);
    BOOST_TEST_REQUIRE(r.status == 303);
    BOOST_TEST(did_cookie(r) != made_up);  // the server issues its own
    // The made-up value is no device: failures sent with it count against the account.
    for (int i = 0; i < 5; ++i) BOOST_TEST(login(user, "wrong", made_up).status == 303);
    BOOST_TEST(login(user, user.password(), made_up).status == 429);
    BOOST_TEST(known(user, did_cookie(r)));
}

BOOST_AUTO_TEST_CASE(a_device_cookie_of_another_account_is_no_device) {
    TestUser owner, other;
    const std::string others_device = did_cookie(login(other, other.password()));
    throttle(owner);
    BOOST_TEST(!known(owner, others_device));
}

BOOST_AUTO_TEST_CASE(failures_sent_with_a_known_device_count_against_that_device_alone) {
    TestUser user;
    const std::string laptop = did_cookie(login(user, user.password()));
    const std::string phone = did_cookie(login(user, user.password()));
    // Someone at the laptop guesses: the device's own allowance (10 free failures) runs out...
    for (int i = 0; i < 10; ++i) BOOST_TEST_REQUIRE(login(user, "wrong", laptop).status == 303);
    BOOST_TEST(login(user, user.password(), laptop).status == 429);
    // ...while the owner's phone and a new browser are not held back at all.
    BOOST_TEST(known(user, phone));
    BOOST_TEST(login(user, user.password()).status == 303);
}

BOOST_AUTO_TEST_CASE(a_password_change_forgets_every_other_device) {
    TestUser user;
    const std::string laptop = did_cookie(login(user, user.password()));
    const auto phone_login = login(user, user.password());
    const auto changed =
        send_json("POST", "/api/v1/me/password",
                  R"({"current_password":")" + user.password() +
                      R"(","new_password":"a-brand-new-password"})",
                  {cookie(phone_login.set_cookie_value("sid")) + "; " + did_cookie(phone_login)});
    BOOST_TEST_REQUIRE(changed.status == 204);
    const std::string phone = did_cookie(changed);  // the browser that changed it stays known
    for (int i = 0; i < 5; ++i) BOOST_TEST_REQUIRE(login(user, "wrong").status == 303);
    // The laptop first: a successful login would clear the account's failures.
    BOOST_TEST(login(user, "a-brand-new-password", laptop).status == 429);
    BOOST_TEST(login(user, "a-brand-new-password", phone).status == 303);
}

BOOST_AUTO_TEST_CASE(ending_all_other_sessions_forgets_every_other_device) {
    TestUser user;
    const std::string laptop = did_cookie(login(user, user.password()));
    const auto phone_login = login(user, user.password());
    const auto ended =
        send({"DELETE",
              "/api/v1/me/sessions",
              {cookie(phone_login.set_cookie_value("sid")) + "; " + did_cookie(phone_login)}});
    BOOST_TEST_REQUIRE(ended.status == 204);
    BOOST_TEST(!ended.set_cookie_value("sid").empty());  // this browser's new session
    const std::string phone = did_cookie(ended);
    throttle(user);
    BOOST_TEST(!known(user, laptop));
    BOOST_TEST(known(user, phone));
}

BOOST_AUTO_TEST_CASE(disabling_the_account_forgets_its_devices) {
    TestUser user;
    const std::string laptop = did_cookie(login(user, user.password()));
    const e2e::ApiClient admin({"users:read", "users:write"});
    const std::string path = "/api/v1/users/" + std::to_string(user.id());
    BOOST_TEST_REQUIRE(send_json("PATCH", path, R"({"enabled":false})", {admin.auth()}).status ==
                       200);
    BOOST_TEST(login(user, user.password(), laptop).header("location") == "/login?error=1");
    BOOST_TEST_REQUIRE(send_json("PATCH", path, R"({"enabled":true})", {admin.auth()}).status ==
                       200);
    throttle(user);
    BOOST_TEST(!known(user, laptop));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(login_throttling_for_json)

BOOST_AUTO_TEST_CASE(json_clients_get_a_json_429) {
    TestUser user;
    const std::string body = R"({"username":")" + user.username() + R"(","password":"nope"})";
    for (int i = 0; i < 5; ++i) BOOST_TEST(send_json("POST", "/login", body).status == 401);
    const auto r = send_json("POST", "/login", body);
    BOOST_TEST(r.status == 429);
    BOOST_TEST(e2e::json_error_code(r) == "too_many_requests");
    BOOST_TEST(!r.header("retry-after").empty());
}

BOOST_AUTO_TEST_CASE(unknown_usernames_are_throttled_like_real_ones) {
    const std::string nobody = "nobody-" + random_suffix();
    for (int i = 0; i < 5; ++i) BOOST_TEST(form_login(nobody, "x-password").status == 303);
    BOOST_TEST(form_login(nobody, "x-password").status == 429);
}

BOOST_AUTO_TEST_CASE(one_network_is_limited_across_accounts_and_others_are_not) {
    // The limiter counts in hourly buckets, the previous one weighted by what the window still
    // covers: a spray that straddles the top of an hour counts a little under 100 and the limit
    // does not yet hold. So the spray starts in a new hour when the current one is about to end.
    const auto into_hour = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch()).count() % 3600;
    if (into_hour > 3600 - 120) std::this_thread::sleep_for(std::chrono::seconds(3600 - into_hour + 2));
    const std::string attacker = fresh_loopback_address();
    // LOGIN_RATE_LOGIN_IP_PER_HOUR (100) failures, each against another username, so that no
    // account limit is involved; three at a time (within the address's share of 4 hashing
    // requests, even while the last batch's are being released), so that both auth workers hash.
    for (int sent = 0; sent < 100; sent += 3) {
        std::vector<HttpRequest> spray;
        for (int i = sent; i < std::min(sent + 3, 100); ++i)
            spray.push_back({"POST", "/login", {kForm},
                             login_body("spray-" + random_suffix(), "guess"), true, attacker});
        for (const auto& r : send_concurrently(spray)) BOOST_TEST_REQUIRE(r.status == 303);
    }
    TestUser user;
    BOOST_TEST(form_login(user.username(), user.password(), {}, attacker).status == 429);
    const auto elsewhere =
        form_login(user.username(), user.password(), {}, fresh_loopback_address());
    BOOST_TEST(elsewhere.status == 303);
    // A known device is no way around it (finding 2): the network limit applies to everyone.
    BOOST_TEST(
        form_login(user.username(), user.password(), {"Cookie: " + did_cookie(elsewhere)}, attacker)
            .status == 429);
}

BOOST_AUTO_TEST_SUITE_END()

// Finding 4: the limiter lower-cased ASCII only, PostgreSQL's lower() also folded "İ" and the
// Kelvin sign, so a throttled account could be guessed at again under a look-alike name.
BOOST_FIXTURE_TEST_SUITE(canonical_usernames, Browser)

BOOST_AUTO_TEST_CASE(a_throttled_account_cannot_be_reached_under_a_unicode_look_alike) {
    TestUser user("Kit", true, "kit-");
    const std::string tail = user.username().substr(3);  // "-<hex>"
    for (int i = 0; i < 5; ++i) BOOST_TEST(login(user, "wrong-password").status == 303);
    BOOST_TEST_REQUIRE(login(user, user.password()).status == 429);
    const std::vector<std::string> look_alikes = {
        "k\u0130t" + tail,            // LATIN CAPITAL LETTER I WITH DOT ABOVE
        "\u212ait" + tail,            // KELVIN SIGN
        "\uff4b\uff49\uff54" + tail,  // full-width letters
        "k\u0131t" + tail,            // dotless i
    };
    for (const auto& name : look_alikes) {
        const auto form = form_login(name, user.password(), {}, from);
        BOOST_TEST(form.status == 303, name);
        BOOST_TEST(form.header("location") == "/login?error=1", name);
        BOOST_TEST(form.set_cookie_value("sid").empty(), name);
        const auto json =
            send_json("POST", "/login",
                      R"({"username":")" + name + R"(","password":")" + user.password() + R"("})");
        BOOST_TEST(json.status == 401, name);
        BOOST_TEST(e2e::json_error_code(json) == "invalid_credentials", name);
    }
}

BOOST_AUTO_TEST_CASE(ascii_capitals_name_the_same_account_and_share_its_limit) {
    TestUser user("Kit", true, "kit-");
    std::string upper = user.username();
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const auto first = form_login(upper, user.password(), {}, from);
    BOOST_TEST(first.status == 303);
    BOOST_TEST(first.header("location") == "/home");
    for (int i = 0; i < 5; ++i) BOOST_TEST(login(user, "wrong-password").status == 303);
    BOOST_TEST(form_login(upper, user.password(), {}, from).status == 429);
}

BOOST_AUTO_TEST_CASE(registering_a_look_alike_of_a_username_is_refused) {
    const std::string body =
        R"({"username":"k\u0130t-)" + random_suffix() +
        R"(","display_name":"K","email":"k@example.com","password":"long-enough-password"})";
    const auto r = send_json("POST", "/register", body);
    BOOST_TEST(r.status == 422);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(client_address)

BOOST_AUTO_TEST_CASE(x_forwarded_for_counts_only_from_a_trusted_proxy) {
    TestUser user;
    const std::vector<std::string> forwarded = {"X-Forwarded-For: 198.51.100.7"};
    // From 127.0.0.1, which is not a trusted proxy, the header is ignored...
    const auto direct = form_login(user.username(), user.password(), forwarded);
    BOOST_TEST_REQUIRE(direct.status == 303);
    BOOST_TEST(e2e::json_string(current_entry(sessions_of(direct.set_cookie_value("sid"))),
                                "ip_prefix") == "127.0.0.0/24");
    // ...and from the trusted proxy, it names the client.
    const auto proxied = form_login(user.username(), user.password(), forwarded,
                                    require_env("TEST_TRUSTED_PROXY"));
    BOOST_TEST_REQUIRE(proxied.status == 303);
    BOOST_TEST(e2e::json_string(current_entry(sessions_of(proxied.set_cookie_value("sid"))),
                                "ip_prefix") == "198.51.100.0/24");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(cross_site_requests)

BOOST_AUTO_TEST_CASE(a_post_from_another_origin_is_403) {
    const std::vector<std::vector<std::string>> foreign = {
        {"Origin: https://evil.example"},
        {"Origin: null"},
        {"Sec-Fetch-Site: cross-site"},
        {"Sec-Fetch-Site: same-site"},
        {"Sec-Fetch-Site: cross-site", origin()},
    };
    for (const auto& headers : foreign) {
        const auto r = form_login("user1", e2e::kDemoPassword, headers);
        BOOST_TEST(r.status == 403, headers.front());
        BOOST_TEST(r.set_cookie_value("sid").empty());
    }
}

BOOST_AUTO_TEST_CASE(a_post_from_the_site_itself_passes) {
    BOOST_TEST(form_login("user1", e2e::kDemoPassword, {origin()}).status == 303);
    BOOST_TEST(form_login("user1", e2e::kDemoPassword, {"Sec-Fetch-Site: same-origin"}).status ==
               303);
}

BOOST_AUTO_TEST_CASE(a_cross_site_patch_of_the_profile_changes_nothing) {
    TestUser user("Before Name");
    const std::string sid = user.login();
    const auto r = send_json("PATCH", "/api/v1/me", R"({"display_name":"Hijacked"})",
                             {cookie(sid), "Origin: https://evil.example"});
    BOOST_TEST(r.status == 403);
    BOOST_TEST(e2e::json_error_code(r) == "cross_site_request");
    BOOST_TEST(display_name_of(sid) == "Before Name");
}

// Finding 5: any Authorization or api-token header switched the cross-site check off, even on
// cookie-authenticated routes; browsers send Authorization by themselves behind Basic or
// Negotiate single sign-on.
BOOST_AUTO_TEST_CASE(a_cross_site_login_with_a_basic_authorization_header_is_403) {
    const auto r = form_login("user1", e2e::kDemoPassword,
                              {"Sec-Fetch-Site: cross-site", "Authorization: Basic dXNlcjE6cHc="});
    BOOST_TEST(r.status == 403);
    BOOST_TEST(r.set_cookie_value("sid").empty());
}

BOOST_AUTO_TEST_CASE(a_cross_site_request_with_a_session_cookie_and_a_token_header_is_403) {
    TestUser user;
    const std::string sid = user.login();
    const std::string other = user.login();
    for (const std::string token : {"Authorization: Bearer x", "api-token: x"}) {
        const auto r = send({"DELETE",
                             "/api/v1/me/sessions",
                             {cookie(sid), "Origin: https://evil.example", token}});
        BOOST_TEST(r.status == 403, token);
    }
    BOOST_TEST(get("/home", {cookie(other)}).status == 200);  // nothing was ended
}

// Finding 10: the form token was sha256("csrf:" + sid), computable by anyone holding the id.
BOOST_AUTO_TEST_CASE(the_old_unkeyed_csrf_token_is_refused) {
    TestUser user("Before Name");
    const std::string sid = user.login();
    const std::string unkeyed = util::sha256_hex("csrf:" + sid);
    const auto r = post_form(
        "/profile",
        "display_name=Forged&email=" + util::url_encode(user.email()) + "&csrf_token=" + unkeyed,
        {cookie(sid)});
    BOOST_TEST(r.status == 403);
    BOOST_TEST(display_name_of(sid) == "Before Name");
}

BOOST_AUTO_TEST_CASE(a_form_without_the_sessions_csrf_token_is_403_and_changes_nothing) {
    TestUser user("Before Name");
    const std::string sid = user.login();
    const std::string other_sid = user.login();
    const std::string change = "display_name=Forged&email=" + util::url_encode(user.email());
    const std::vector<std::pair<std::string, std::string>> forged = {
        {"missing", change},
        {"empty", change + "&csrf_token="},
        {"another_sessions", change + "&" + e2e::csrf_field(other_sid)},
    };
    for (const auto& [why, body] : forged) {
        const auto r = post_form("/profile", body, {cookie(sid)});
        BOOST_TEST(r.status == 403, why);
    }
    BOOST_TEST(post_form("/logout", "", {cookie(sid)}).status == 403);
    BOOST_TEST(display_name_of(sid) == "Before Name");
    // The genuine form goes through.
    BOOST_TEST(post_form("/profile", change + "&" + e2e::csrf_field(sid), {cookie(sid)}).status ==
               303);
    BOOST_TEST(display_name_of(sid) == "Forged");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(session_management)

BOOST_AUTO_TEST_CASE(a_session_id_planted_before_login_is_never_adopted) {
    const std::string planted(43, 'A');
    const auto r = form_login("user1", e2e::kDemoPassword, {cookie(planted)});
    BOOST_TEST_REQUIRE(r.status == 303);
    BOOST_TEST(r.set_cookie_value("sid") != planted);
    const auto home = get("/home", {cookie(planted)});
    BOOST_TEST(home.status == 303);
    BOOST_TEST(home.header("location") == "/login");
}

BOOST_AUTO_TEST_CASE(sessions_are_listed_with_their_origin_and_one_can_be_ended) {
    TestUser user;
    const auto laptop = form_login(user.username(), user.password(), {"User-Agent: Laptop/1.0"});
    const auto phone = form_login(user.username(), user.password(), {"User-Agent: Phone/2.0"});
    const std::string laptop_sid = laptop.set_cookie_value("sid");
    const std::string phone_sid = phone.set_cookie_value("sid");

    const auto doc = sessions_of(laptop_sid);
    const json_t* list = session_entries(doc);
    BOOST_TEST_REQUIRE(json_array_size(list) == 2u);
    const json_t* current = current_entry(doc);
    BOOST_TEST(e2e::json_string(current, "user_agent") == "Laptop/1.0");
    BOOST_TEST(e2e::json_string(current, "ip_prefix") == "127.0.0.0/24");
    BOOST_TEST(e2e::json_string(current, "created_at").size() == 20u);
    BOOST_TEST(!e2e::mentions(get("/api/v1/me/sessions", {cookie(laptop_sid)}), laptop_sid));
    std::string phone_id;
    for (size_t i = 0; i < 2; ++i)
        if (json_is_false(json_object_get(json_array_get(list, i), "current")))
            phone_id = e2e::json_string(json_array_get(list, i), "id");
    BOOST_TEST_REQUIRE(phone_id.size() == 64u);

    const auto ended = send({"DELETE", "/api/v1/me/sessions/" + phone_id, {cookie(laptop_sid)}});
    BOOST_TEST(ended.status == 204);
    BOOST_TEST(get("/home", {cookie(phone_sid)}).status == 303);
    BOOST_TEST(get("/home", {cookie(laptop_sid)}).status == 200);
    BOOST_TEST(json_array_size(session_entries(sessions_of(laptop_sid))) == 1u);
    // Ending it again, or a made-up id, is 404.
    BOOST_TEST(send({"DELETE", "/api/v1/me/sessions/" + phone_id, {cookie(laptop_sid)}}).status ==
               404);
    BOOST_TEST(send({"DELETE", "/api/v1/me/sessions/nope", {cookie(laptop_sid)}}).status == 404);
}

BOOST_AUTO_TEST_CASE(nobody_can_end_another_users_session) {
    TestUser victim, attacker;
    const std::string victim_sid = victim.login();
    const std::string victim_id =
        e2e::json_string(current_entry(sessions_of(victim_sid)), "id");
    const auto r = send({"DELETE", "/api/v1/me/sessions/" + victim_id, {cookie(attacker.login())}});
    BOOST_TEST(r.status == 404);
    BOOST_TEST(get("/home", {cookie(victim_sid)}).status == 200);
}

BOOST_AUTO_TEST_CASE(ending_all_other_sessions_keeps_only_this_browser_under_a_new_id) {
    TestUser user;
    const std::string before = user.login();
    const std::string other1 = user.login();
    const std::string other2 = user.login();
    const auto r = send({"DELETE", "/api/v1/me/sessions", {cookie(before)}});
    BOOST_TEST(r.status == 204);
    const std::string keep = r.set_cookie_value("sid");
    BOOST_TEST_REQUIRE(keep.size() == 43u);
    BOOST_TEST(get("/home", {cookie(other1)}).status == 303);
    BOOST_TEST(get("/home", {cookie(other2)}).status == 303);
    BOOST_TEST(get("/home", {cookie(before)}).status == 303);  // a new generation: a new id
    BOOST_TEST(get("/home", {cookie(keep)}).status == 200);
    BOOST_TEST(json_array_size(session_entries(sessions_of(keep))) == 1u);
}

BOOST_AUTO_TEST_CASE(the_sessions_page_ends_a_session_with_its_form) {
    TestUser user;
    const std::string keep = user.login();
    const std::string other = user.login();
    const auto page = get("/sessions", {cookie(keep)});
    BOOST_TEST_REQUIRE(page.status == 200);
    BOOST_TEST(page.body.find("This session") != std::string::npos);
    const std::string token = e2e::csrf_token_in(page.body);
    BOOST_TEST_REQUIRE(!token.empty());
    const std::string other_id = e2e::json_string(current_entry(sessions_of(other)), "id");
    BOOST_TEST(page.body.find(other_id) != std::string::npos);

    const auto ended =
        post_form("/sessions/end", "id=" + other_id + "&csrf_token=" + token, {cookie(keep)});
    BOOST_TEST(ended.status == 303);
    BOOST_TEST(ended.header("location") == "/sessions");
    BOOST_TEST(get("/home", {cookie(other)}).status == 303);
    // Without the token, the page's forms do nothing.
    const std::string third = user.login();
    BOOST_TEST(post_form("/sessions/end-others", "", {cookie(keep)}).status == 403);
    BOOST_TEST(get("/home", {cookie(third)}).status == 200);
    const auto all = post_form("/sessions/end-others", "csrf_token=" + token, {cookie(keep)});
    BOOST_TEST(all.status == 303);
    BOOST_TEST(get("/home", {cookie(third)}).status == 303);
    BOOST_TEST(get("/home", {cookie(all.set_cookie_value("sid"))}).status == 200);
}

BOOST_AUTO_TEST_CASE(the_session_list_needs_a_session) {
    BOOST_TEST(get("/api/v1/me/sessions").status == 401);
    BOOST_TEST(send({"DELETE", "/api/v1/me/sessions"}).status == 401);
    const auto page = get("/sessions");
    BOOST_TEST(page.status == 303);
    BOOST_TEST(page.header("location") == "/login");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(registration_limit)

BOOST_AUTO_TEST_CASE(one_network_registering_again_and_again_gets_429) {
    const std::string source = fresh_loopback_address();
    // Invalid attempts (a short password) count too, and cost no hashing.
    const std::string body = "username=r" + random_suffix() +
                             "&display_name=R&email=r%40example.com&password=short";
    const int limit = std::stoi(require_env("TEST_REGISTER_PER_HOUR"));
    for (int i = 0; i < limit; ++i)
        BOOST_TEST_REQUIRE(send({"POST", "/register", {kForm}, body, true, source}).status == 422);
    const auto r = send({"POST", "/register", {kForm}, body, true, source});
    BOOST_TEST(r.status == 429);
    BOOST_TEST(!r.header("retry-after").empty());
    BOOST_TEST(send({"POST", "/register", {kForm}, body, true, fresh_loopback_address()}).status ==
               422);
}

BOOST_AUTO_TEST_SUITE_END()
