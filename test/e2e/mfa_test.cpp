#define BOOST_TEST_MODULE e2e_mfa
#include <boost/test/unit_test.hpp>
// TOTP two-step verification through the whole stack, with codes computed by Debian's oathtool
// (an implementation of RFC 6238 other than ours): enrolment, the two-step login and its
// pending cookie, replayed and wrong codes, recovery codes, the account limiter, known devices,
// and turning it off.

#include <cstdio>
#include <ctime>
#include <regex>

#include "e2e/fixtures.hpp"
#include "e2e/mail_fixtures.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

using namespace e2e;
using testing_support::HttpRequest;
using testing_support::random_suffix;
using testing_support::require_env;

BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

namespace {

std::string origin() { return "Origin: " + require_env("TEST_BASE_URL"); }

// The code oathtool computes for secret at now + offset_seconds.
std::string oathtool(const std::string& secret, int offset_seconds = 0) {
    const std::string cmd = "oathtool --totp -b -N @" +
                            std::to_string(std::time(nullptr) + offset_seconds) + " " + secret;
    FILE* p = popen(cmd.c_str(), "r");
    BOOST_TEST_REQUIRE(p != nullptr);
    char buf[32] = {0};
    const bool read = std::fgets(buf, sizeof buf, p) != nullptr;
    pclose(p);
    BOOST_TEST_REQUIRE(read, "oathtool printed nothing (make deps installs it)");
    std::string code(buf);
    while (!code.empty() && (code.back() == '\n' || code.back() == '\r')) code.pop_back();
    return code;
}

// A code of the next 30-second step: one the server has never seen, valid now (window ±1).
std::string next_code(const std::string& secret) { return oathtool(secret, 30); }

struct Enrolled {
    std::string secret;
    std::vector<std::string> recovery_codes;
};

// Turns TOTP on for the session's user through the JSON API.
Enrolled enrol(const std::string& sid) {
    const auto started = testing_support::send_json("POST", "/api/v1/me/mfa/totp", "{}",
                                                    {cookie(sid), origin()});
    BOOST_TEST_REQUIRE(started.status == 200);
    auto doc = json_body(started);
    Enrolled e;
    e.secret = json_string(doc.get(), "secret");
    BOOST_TEST_REQUIRE(e.secret.size() == 32u);
    const auto confirmed = testing_support::send_json(
        "POST", "/api/v1/me/mfa/totp/confirm", "{\"code\":\"" + oathtool(e.secret) + "\"}",
        {cookie(sid), origin()});
    BOOST_TEST_REQUIRE(confirmed.status == 200);
    auto codes = json_body(confirmed);
    size_t i;
    json_t* c;
    json_array_foreach(json_object_get(codes.get(), "recovery_codes"), i, c) {
        e.recovery_codes.emplace_back(json_string_value(c));
    }
    return e;
}

HttpResponse json_login(const TestUser& user, const std::vector<std::string>& headers = {}) {
    return testing_support::send_json(
        "POST", "/login",
        "{\"username\":\"" + user.username() + "\",\"password\":\"" + user.password() + "\"}",
        headers);
}

std::string mfa_cookie(const HttpResponse& r) { return "mfa=" + r.set_cookie_value("mfa"); }

HttpResponse send_code(const std::string& pending, const std::string& code) {
    return testing_support::send_json("POST", "/login/mfa", "{\"code\":\"" + code + "\"}",
                                      {"Cookie: " + pending});
}

// The pending cookie of a fresh login that the password passed.
std::string password_step(const TestUser& user) {
    const auto r = json_login(user);
    BOOST_TEST_REQUIRE(r.status == 401);
    BOOST_TEST_REQUIRE(json_error_code(r) == "mfa_required");
    return mfa_cookie(r);
}

}  // namespace

BOOST_AUTO_TEST_CASE(enrolment_gives_a_secret_an_otpauth_uri_and_ten_recovery_codes) {
    TestUser user;
    const std::string sid = user.login();
    const auto started = testing_support::send_json("POST", "/api/v1/me/mfa/totp", "{}",
                                                    {cookie(sid), origin()});
    BOOST_TEST_REQUIRE(started.status == 200);
    auto doc = json_body(started);
    const std::string secret = json_string(doc.get(), "secret");
    BOOST_TEST(json_string(doc.get(), "otpauth_uri") ==
               "otpauth://totp/Acme:" + user.username() + "?secret=" + secret +
                   "&issuer=Acme&algorithm=SHA1&digits=6&period=30");
    // A wrong code does not turn it on.
    const auto wrong = testing_support::send_json("POST", "/api/v1/me/mfa/totp/confirm",
                                                  R"({"code":"000000"})", {cookie(sid), origin()});
    BOOST_TEST(wrong.status == 422);
    BOOST_TEST(json_login(user).status == 200);
    const auto ok = testing_support::send_json("POST", "/api/v1/me/mfa/totp/confirm",
                                               "{\"code\":\"" + oathtool(secret) + "\"}",
                                               {cookie(sid), origin()});
    BOOST_TEST_REQUIRE(ok.status == 200);
    auto codes = json_body(ok);
    const json_t* list = json_object_get(codes.get(), "recovery_codes");
    BOOST_TEST(json_array_size(list) == 10u);
    const std::regex shape("^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$");
    size_t i;
    json_t* c;
    json_array_foreach(list, i, c) { BOOST_TEST(std::regex_match(json_string_value(c), shape)); }
    // Only hashes are stored.
    store::Pg pg(login_database_url());
    auto rows = pg.exec_sql("SELECT code_sha256 FROM recovery_codes WHERE user_id = " +
                            std::to_string(user.id()));
    BOOST_TEST(PQntuples(rows.get()) == 10);
    BOOST_TEST(std::string(PQgetvalue(rows.get(), 0, 0)).size() == 64u);
    // Starting again while it is on is refused.
    BOOST_TEST(testing_support::send_json("POST", "/api/v1/me/mfa/totp", "{}", {cookie(sid), origin()})
                   .status == 409);
}

BOOST_AUTO_TEST_CASE(the_password_alone_gives_a_pending_cookie_and_no_session) {
    TestUser user;
    enrol(user.login());
    const auto r = json_login(user);
    BOOST_TEST(r.status == 401);
    BOOST_TEST(json_error_code(r) == "mfa_required");
    BOOST_TEST(r.set_cookie_value("sid").empty());
    const std::string line = r.set_cookie_line("mfa");
    BOOST_TEST(line.find("HttpOnly") != std::string::npos);
    BOOST_TEST(line.find("Max-Age=300") != std::string::npos);
    // The pending cookie opens nothing else.
    const std::string pending = mfa_cookie(r);
    BOOST_TEST(testing_support::get("/home", {"Cookie: " + pending}).status == 303);
    BOOST_TEST(testing_support::get("/api/v1/me", {"Cookie: " + pending, "Accept: application/json"})
                   .status == 401);
    // The form login sends the browser to the code page.
    const auto form = testing_support::post_form(
        "/login", "username=" + user.username() + "&password=" + util::url_encode(user.password()));
    BOOST_TEST(form.status == 303);
    BOOST_TEST(form.header("location") == "/login/mfa");
    const auto page = testing_support::get("/login/mfa", {"Cookie: " + mfa_cookie(form)});
    BOOST_TEST(page.status == 200);
    BOOST_TEST(page.body.find("name=\"code\"") != std::string::npos);
    BOOST_TEST(testing_support::get("/login/mfa").header("location") == "/login");
}

BOOST_AUTO_TEST_CASE(a_code_logs_in_once_and_its_replay_is_refused) {
    TestUser user;
    const auto e = enrol(user.login());
    // The code that confirmed the enrolment is used already.
    BOOST_TEST(send_code(password_step(user), oathtool(e.secret)).status == 401);
    const std::string code = next_code(e.secret);
    const auto ok = send_code(password_step(user), code);
    BOOST_TEST_REQUIRE(ok.status == 200);
    BOOST_TEST(!ok.set_cookie_value("sid").empty());
    BOOST_TEST(ok.set_cookie_line("mfa").find("Max-Age=0") != std::string::npos);
    BOOST_TEST(json_string(json_body(ok).get(), "username") == user.username());
    const auto replay = send_code(password_step(user), code);
    BOOST_TEST(replay.status == 401);
    BOOST_TEST(json_error_code(replay) == "invalid_code");
}

BOOST_AUTO_TEST_CASE(a_recovery_code_works_once_in_any_letter_case) {
    TestUser user;
    const auto e = enrol(user.login());
    std::string shouted = e.recovery_codes.front();
    for (char& ch : shouted) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    BOOST_TEST(send_code(password_step(user), shouted).status == 200);
    BOOST_TEST(send_code(password_step(user), e.recovery_codes.front()).status == 401);
    BOOST_TEST(send_code(password_step(user), e.recovery_codes.back()).status == 200);
}

BOOST_AUTO_TEST_CASE(wrong_codes_count_against_the_account_like_wrong_passwords) {
    TestUser user;
    enrol(user.login());
    const std::string pending = password_step(user);
    // LOGIN_RATE_LOGIN_FREE_FAILURES (5), then the account waits.
    for (int i = 0; i < 5; ++i) BOOST_TEST_REQUIRE(send_code(pending, "000000").status == 401);
    const auto limited = send_code(pending, "000000");
    BOOST_TEST(limited.status == 429);
    BOOST_TEST(!limited.header("retry-after").empty());
}

BOOST_AUTO_TEST_CASE(a_known_device_does_not_skip_the_second_factor) {
    TestUser user;
    const auto first = json_login(user);
    BOOST_TEST_REQUIRE(first.status == 200);
    const std::string did = "did=" + first.set_cookie_value("did");
    enrol(first.set_cookie_value("sid"));
    const auto again = json_login(user, {"Cookie: " + did});
    BOOST_TEST(again.status == 401);
    BOOST_TEST(json_error_code(again) == "mfa_required");
}

BOOST_AUTO_TEST_CASE(wrong_codes_from_elsewhere_do_not_lock_out_a_known_device) {
    TestUser user;
    const auto first = json_login(user);
    BOOST_TEST_REQUIRE(first.status == 200);
    const std::string did = "did=" + first.set_cookie_value("did");
    const auto e = enrol(first.set_cookie_value("sid"));
    // Someone with the password but not the browser spends the account's free failures.
    const std::string stranger = password_step(user);
    for (int i = 0; i < 5; ++i) BOOST_TEST_REQUIRE(send_code(stranger, "000000").status == 401);
    BOOST_TEST(json_login(user).status == 429);
    // The owner's browser counts on its own: its password and code still get in.
    const auto owner = json_login(user, {"Cookie: " + did});
    BOOST_TEST_REQUIRE(owner.status == 401);
    BOOST_TEST_REQUIRE(json_error_code(owner) == "mfa_required");
    const auto in = send_code(mfa_cookie(owner), next_code(e.secret));
    BOOST_TEST(in.status == 200);
    BOOST_TEST(!in.set_cookie_value("did").empty());
}

BOOST_AUTO_TEST_CASE(a_new_session_generation_ends_a_login_waiting_for_its_code) {
    TestUser user;
    const std::string sid = user.login();
    const auto e = enrol(sid);
    const std::string pending = password_step(user);
    // "End all other sessions" (as a password reset would) starts a new generation.
    const auto ended = testing_support::send_json("DELETE", "/api/v1/me/sessions", "",
                                                  {cookie(sid), origin()});
    BOOST_TEST_REQUIRE(ended.status == 204);
    const auto late = send_code(pending, next_code(e.secret));
    BOOST_TEST(late.status == 401);
    BOOST_TEST(json_error_code(late) == "mfa_expired");
}

BOOST_AUTO_TEST_CASE(the_right_password_between_wrong_codes_does_not_reset_their_count) {
    TestUser user;
    const std::string sid = user.login();
    enrol(sid);
    // Each attempt to turn it off carries the right password and a wrong code: were the password
    // to clear the account's failures, the codes could be guessed without end.
    const auto attempt = [&] {
        return testing_support::send_json(
            "DELETE", "/api/v1/me/mfa",
            "{\"current_password\":\"" + user.password() + "\",\"code\":\"000000\"}",
            {cookie(sid), origin()});
    };
    for (int i = 0; i < 5; ++i) BOOST_TEST_REQUIRE(attempt().status == 422);
    const auto limited = attempt();
    BOOST_TEST(limited.status == 429);
    BOOST_TEST(!limited.header("retry-after").empty());
    // The same count holds at the login.
    BOOST_TEST(json_login(user).status == 429);
}

BOOST_AUTO_TEST_CASE(the_pending_state_expires) {
    TestUser user;
    const auto e = enrol(user.login());
    const std::string pending = password_step(user);
    store::Redis redis(require_env("TEST_REDIS_URL"));
    const std::string token = pending.substr(pending.find('=') + 1);
    const std::string key =
        store::Keys(require_env("TEST_KEY_PREFIX")).mfa_pending(util::sha256_hex(token));
    BOOST_TEST_REQUIRE(redis.command({"PEXPIRE", key, "100"}).integer().value_or(-1) == 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto late = send_code(pending, next_code(e.secret));
    BOOST_TEST(late.status == 401);
    BOOST_TEST(json_error_code(late) == "mfa_expired");
}

BOOST_AUTO_TEST_CASE(turning_it_off_needs_the_password_and_a_code) {
    TestUser user;
    const std::string sid = user.login();
    const auto e = enrol(sid);
    const auto no_password = testing_support::send_json(
        "DELETE", "/api/v1/me/mfa",
        "{\"current_password\":\"wrong-password\",\"code\":\"" + next_code(e.secret) + "\"}",
        {cookie(sid), origin()});
    BOOST_TEST(no_password.status == 422);
    const auto no_code = testing_support::send_json(
        "DELETE", "/api/v1/me/mfa",
        "{\"current_password\":\"" + user.password() + "\",\"code\":\"000000\"}",
        {cookie(sid), origin()});
    BOOST_TEST(no_code.status == 422);
    const auto off = testing_support::send_json(
        "DELETE", "/api/v1/me/mfa",
        "{\"current_password\":\"" + user.password() + "\",\"code\":\"" + next_code(e.secret) + "\"}",
        {cookie(sid), origin()});
    BOOST_TEST(off.status == 204);
    BOOST_TEST(json_login(user).status == 200);
}

BOOST_AUTO_TEST_CASE(the_enrolment_page_shows_the_key_and_a_qr_image_and_confirms_by_form) {
    TestUser user;
    const std::string sid = user.login();
    const std::string csrf = "csrf_token=" + csrf_token_in(testing_support::get("/mfa", {cookie(sid)}).body);
    const auto started = testing_support::post_form("/mfa/totp", csrf, {cookie(sid)});
    BOOST_TEST_REQUIRE(started.status == 303);
    const auto page = testing_support::get("/mfa", {cookie(sid) + "; lang=pt-BR"});
    BOOST_TEST(page.status == 200);
    BOOST_TEST(page.header("cache-control") == "no-store");
    BOOST_TEST(page.body.find("<img src=\"/mfa/totp/qr.svg\"") != std::string::npos);
    std::smatch m;
    const std::regex key(R"(<code class="secret">([A-Z2-7 ]+)</code>)");
    BOOST_TEST_REQUIRE(std::regex_search(page.body, m, key));
    std::string secret = m[1];
    secret.erase(std::remove(secret.begin(), secret.end(), ' '), secret.end());
    const auto qr = testing_support::get("/mfa/totp/qr.svg", {cookie(sid)});
    BOOST_TEST(qr.status == 200);
    BOOST_TEST(qr.header("content-type") == "image/svg+xml");
    BOOST_TEST(qr.body.rfind("<svg ", 0) == 0);
    const auto confirmed = testing_support::post_form(
        "/mfa/totp/confirm", csrf + "&code=" + oathtool(secret), {cookie(sid)});
    BOOST_TEST(confirmed.status == 200);
    size_t items = 0;
    for (size_t at = 0; (at = confirmed.body.find("<li><code>", at)) != std::string::npos; ++at) ++items;
    BOOST_TEST(items == 10u);
    // Without the form token nothing happens.
    BOOST_TEST(testing_support::post_form("/mfa/totp", "", {cookie(sid)}).status == 403);
    BOOST_TEST(testing_support::get("/mfa/totp/qr.svg", {cookie(sid)}).status == 404);
}

BOOST_AUTO_TEST_CASE(an_admin_reset_turns_it_off_audited_and_tells_the_user_by_mail) {
    TestUser user;
    enrol(user.login());
    BOOST_TEST_REQUIRE(json_login(user).status == 401);
    TestUser admin("E2E Admin");
    store::Pg pg(login_database_url());
    pg.exec_sql("UPDATE users SET roles = '{admin,user}' WHERE id = " + std::to_string(admin.id()));
    const std::string sid = admin.login();
    const std::string page = "/admin/users/" + std::to_string(user.id());
    const auto shown = testing_support::get(page, {cookie(sid)});
    BOOST_TEST_REQUIRE(shown.status == 200);
    BOOST_TEST(shown.body.find(page + "/mfa/reset") != std::string::npos);
    const auto reset = testing_support::post_form(
        page + "/mfa/reset", "csrf_token=" + csrf_token_in(shown.body), {cookie(sid)});
    BOOST_TEST(reset.status == 303);
    BOOST_TEST(json_login(user).status == 200);
    const Mail notice = wait_for_mail(user.email());
    BOOST_TEST(notice.header("Subject") == "Your two-step verification was turned off");
}
