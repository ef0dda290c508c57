#define BOOST_TEST_MODULE e2e_recovery
#include <boost/test/unit_test.hpp>
// Password recovery by email through nginx, the workers, the mailer and the local mail sink:
// the same answer whatever the identifier names, a link that works once for its own user, that
// a newer link, a login or time kills, the sessions it ends, and the limits.

#include "e2e/fixtures.hpp"
#include "e2e/mail_fixtures.hpp"
#include "util/crypto.hpp"

using namespace e2e;
using testing_support::HttpRequest;
using testing_support::random_suffix;
using testing_support::require_env;

BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

namespace {

HttpResponse forgot(const std::string& identifier, const std::string& from,
                    const std::string& lang = "en") {
    HttpRequest req;
    req.method = "POST";
    req.path = "/password/forgot";
    req.headers = {"Content-Type: application/x-www-form-urlencoded", "Cookie: lang=" + lang};
    req.body = "identifier=" + util::url_encode(identifier);
    req.send_body = true;
    req.source_address = from;
    return testing_support::send(req);
}

HttpResponse reset(const std::string& token, const std::string& password,
                   const std::string& from = "") {
    HttpRequest req;
    req.method = "POST";
    req.path = "/password/reset";
    req.headers = {"Content-Type: application/x-www-form-urlencoded"};
    req.body = "token=" + util::url_encode(token) + "&new_password=" + util::url_encode(password);
    req.send_body = true;
    req.source_address = from;
    return testing_support::send(req);
}

// Asks for a link for user and returns the token of the mail that brings it.
std::string link_token(const TestUser& user, const std::string& from) {
    BOOST_TEST_REQUIRE(forgot(user.email(), from).status == 200);
    const Mail mail = wait_for_mail(user.email());
    const std::string link = mail.link_starting(require_env("TEST_BASE_URL") + "/password/reset?");
    BOOST_TEST_REQUIRE(!link.empty(), "no reset link in: " << mail.text);
    return token_of(link);
}

long form_login_status(const std::string& username, const std::string& password) {
    return testing_support::post_form("/login", "username=" + util::url_encode(username) +
                                                    "&password=" + util::url_encode(password))
        .status;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(asking_for_a_link)

BOOST_AUTO_TEST_CASE(forgot_form_renders_in_both_languages) {
    const auto en = testing_support::get("/password/forgot", {"Cookie: lang=en"});
    BOOST_TEST(en.status == 200);
    BOOST_TEST(en.body.find("name=\"identifier\"") != std::string::npos);
    BOOST_TEST(en.body.find("Reset your password") != std::string::npos);
    const auto pt = testing_support::get("/password/forgot", {"Cookie: lang=pt-BR"});
    BOOST_TEST(pt.status == 200);
    BOOST_TEST(pt.body.find("Redefinir a senha") != std::string::npos);
    BOOST_TEST(pt.body.find("<html lang=\"pt-BR\">") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(known_and_unknown_identifiers_get_the_same_page) {
    TestUser user;
    const std::string from = fresh_loopback();
    const auto known = forgot(user.username(), from);
    const auto unknown = forgot("nobody-" + random_suffix(), from);
    const auto unknown_mail = forgot("nobody-" + random_suffix() + "@example.com", from);
    BOOST_TEST(known.status == 200);
    BOOST_TEST(unknown.status == 200);
    BOOST_TEST(known.body == unknown.body);
    BOOST_TEST(known.body == unknown_mail.body);
    BOOST_TEST(known.header("set-cookie") == unknown.header("set-cookie"));
    // Only the account that exists gets a mail.
    wait_for_mail(user.email());
}

BOOST_AUTO_TEST_CASE(an_empty_identifier_is_a_field_error) {
    const auto r = forgot("", fresh_loopback());
    BOOST_TEST(r.status == 422);
    BOOST_TEST(r.body.find("aria-invalid=\"true\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(api_forgot_answers_202_whether_or_not_an_account_matches) {
    TestUser user;
    for (const std::string& body : {"{\"email\":\"" + user.email() + "\"}",
                                   std::string("{\"email\":\"nobody-") + random_suffix() +
                                       "@example.com\"}",
                                   "{\"username\":\"nobody-" + random_suffix() + "\"}"}) {
        const auto r = testing_support::send_json("POST", "/api/v1/password/forgot", body);
        BOOST_TEST(r.status == 202, body);
        BOOST_TEST(r.body.empty());
    }
    wait_for_mail(user.email());
    const auto both = testing_support::send_json("POST", "/api/v1/password/forgot",
                                                 R"({"username":"a","email":"a@b.c"})");
    BOOST_TEST(both.status == 422);
    const auto neither = testing_support::send_json("POST", "/api/v1/password/forgot", "{}");
    BOOST_TEST(neither.status == 422);
}

BOOST_AUTO_TEST_CASE(the_mail_is_well_formed_and_in_the_language_of_the_request) {
    TestUser user;
    BOOST_TEST_REQUIRE(forgot(user.username(), fresh_loopback(), "pt-BR").status == 200);
    const Mail mail = wait_for_mail(user.email());
    BOOST_TEST(mail.header("Subject") == "Redefina sua senha");
    BOOST_TEST(mail.header("Content-Language") == "pt-BR");
    BOOST_TEST(mail.header("From").find('@') != std::string::npos);
    BOOST_TEST(mail.header("Message-ID").front() == '<');
    BOOST_TEST(mail.header("Message-ID").back() == '>');
    BOOST_TEST(mail.header("Date").find(" +0000") != std::string::npos);
    BOOST_TEST(mail.header("Content-Type").rfind("multipart/alternative;", 0) == 0);
    BOOST_TEST(mail.text.find("Olá, " + user.username()) != std::string::npos);
    BOOST_TEST(mail.html.find("<html lang=\"pt-BR\">") != std::string::npos);
    const std::string link = mail.link_starting(require_env("TEST_BASE_URL") + "/password/reset?token=");
    BOOST_TEST(token_of(link).size() == 43u);  // 256 bits, URL-safe base64
    BOOST_TEST(mail.html.find(link) != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(using_a_link)

BOOST_AUTO_TEST_CASE(a_link_sets_a_new_password_ends_every_session_and_sends_a_notice) {
    TestUser user;
    const std::string sid = user.login();
    const std::string token = link_token(user, fresh_loopback());
    const auto form = testing_support::get("/password/reset?token=" + token);
    BOOST_TEST(form.status == 200);
    BOOST_TEST(form.header("cache-control") == "no-store");
    BOOST_TEST(form.header("referrer-policy") == "no-referrer");
    BOOST_TEST(form.body.find("name=\"token\" value=\"" + token + "\"") != std::string::npos);
    const std::string fresh = "new-pass-" + random_suffix();
    const auto done = reset(token, fresh);
    BOOST_TEST(done.status == 200);
    // The session from before is over, the old password too, the new one works.
    BOOST_TEST(testing_support::get("/home", {cookie(sid)}).status == 303);
    BOOST_TEST(form_login_status(user.username(), user.password()) == 303);
    BOOST_TEST(testing_support::post_form("/login", "username=" + user.username() +
                                                        "&password=" + util::url_encode(fresh))
                   .header("location") == "/home");
    const Mail notice = wait_for_mail(user.email());
    BOOST_TEST(notice.header("Subject") == "Your password was changed");
}

BOOST_AUTO_TEST_CASE(a_reset_by_link_forgets_every_known_device) {
    TestUser user;
    const auto before = testing_support::post_form(
        "/login", "username=" + user.username() + "&password=" + util::url_encode(user.password()));
    BOOST_TEST_REQUIRE(before.status == 303);
    const std::string laptop = "did=" + before.set_cookie_value("did");
    const std::string fresh = "new-pass-" + random_suffix();
    BOOST_TEST_REQUIRE(reset(link_token(user, fresh_loopback()), fresh).status == 200);
    // A new session generation: the laptop's cookie names no device any more, so the account's
    // failures hold it back like any other browser.
    for (int i = 0; i < 5; ++i)
        BOOST_TEST_REQUIRE(form_login_status(user.username(), "wrong-password") == 303);
    const auto r = testing_support::post_form(
        "/login", "username=" + user.username() + "&password=" + util::url_encode(fresh),
        {"Cookie: " + laptop});
    BOOST_TEST(r.status == 429);
}

BOOST_AUTO_TEST_CASE(a_used_link_is_refused) {
    TestUser user;
    const std::string token = link_token(user, fresh_loopback());
    BOOST_TEST_REQUIRE(reset(token, "first-pass-" + random_suffix()).status == 200);
    BOOST_TEST(reset(token, "second-pass-" + random_suffix()).status == 400);
    BOOST_TEST(testing_support::get("/password/reset?token=" + token).status == 400);
    const auto api = testing_support::send_json(
        "POST", "/api/v1/password/reset",
        "{\"token\":\"" + token + "\",\"new_password\":\"third-pass-" + random_suffix() + "\"}");
    BOOST_TEST(api.status == 400);
    BOOST_TEST(json_error_code(api) == "invalid_token");
}

BOOST_AUTO_TEST_CASE(a_newer_link_kills_the_older_one) {
    TestUser user;
    const std::string from = fresh_loopback();
    const std::string older = link_token(user, from);
    const std::string newer = link_token(user, from);
    BOOST_TEST(older != newer);
    BOOST_TEST(testing_support::get("/password/reset?token=" + older).status == 400);
    BOOST_TEST(testing_support::get("/password/reset?token=" + newer).status == 200);
}

BOOST_AUTO_TEST_CASE(a_login_kills_a_live_link) {
    TestUser user;
    const std::string token = link_token(user, fresh_loopback());
    user.login();
    BOOST_TEST(testing_support::get("/password/reset?token=" + token).status == 400);
}

BOOST_AUTO_TEST_CASE(a_password_change_kills_a_live_link) {
    TestUser user;
    const std::string token = link_token(user, fresh_loopback());
    const std::string sid = user.login();
    const auto changed = testing_support::send_json(
        "POST", "/api/v1/me/password",
        "{\"current_password\":\"" + user.password() + "\",\"new_password\":\"changed-" +
            random_suffix() + "\"}",
        {cookie(sid), "Origin: " + require_env("TEST_BASE_URL")});
    BOOST_TEST_REQUIRE(changed.status == 204);
    BOOST_TEST(testing_support::get("/password/reset?token=" + token).status == 400);
}

BOOST_AUTO_TEST_CASE(an_expired_link_is_refused) {
    TestUser user;
    const std::string token = link_token(user, fresh_loopback());
    // Thirty minutes pass: the token's key is given a second to live instead.
    store::Redis redis(require_env("TEST_REDIS_URL"));
    const std::string key =
        store::Keys(require_env("TEST_KEY_PREFIX")).account_token("reset", util::sha256_hex(token));
    BOOST_TEST_REQUIRE(redis.command({"PEXPIRE", key, "200"}).integer().value_or(-1) == 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    BOOST_TEST(reset(token, "late-pass-" + random_suffix()).status == 400);
}

BOOST_AUTO_TEST_CASE(a_link_changes_only_its_own_users_password) {
    TestUser owner;
    TestUser other;
    const std::string token = link_token(owner, fresh_loopback());
    const std::string fresh = "owner-pass-" + random_suffix();
    BOOST_TEST_REQUIRE(reset(token, fresh).status == 200);
    BOOST_TEST(form_login_status(other.username(), other.password()) == 303);
    BOOST_TEST(testing_support::post_form("/login", "username=" + other.username() +
                                                        "&password=" + util::url_encode(fresh))
                   .header("location") == "/login?error=1");
}

BOOST_AUTO_TEST_CASE(a_weak_password_is_a_field_error_and_the_link_stays_alive) {
    TestUser user;
    const std::string token = link_token(user, fresh_loopback());
    const auto weak = reset(token, "short");
    BOOST_TEST(weak.status == 422);
    BOOST_TEST(weak.body.find("aria-invalid=\"true\"") != std::string::npos);
    BOOST_TEST(testing_support::get("/password/reset?token=" + token).status == 200);
    const auto api = testing_support::send_json(
        "POST", "/api/v1/password/reset",
        "{\"token\":\"" + token + "\",\"new_password\":\"api-pass-" + random_suffix() + "\"}");
    BOOST_TEST(api.status == 204);
}

BOOST_AUTO_TEST_CASE(garbage_tokens_are_refused_without_a_server_error) {
    const std::string from = fresh_loopback();
    for (const std::string& token :
         std::vector<std::string>{"", "x", std::string(43, 'A'), std::string(2000, 'a'),
                                  "%00%0d%0a", "../../etc/passwd"}) {
        BOOST_TEST(get_from("/password/reset?token=" + util::url_encode(token), from).status == 400,
                   token.substr(0, 20));
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(limits)

BOOST_AUTO_TEST_CASE(one_identifier_gets_at_most_five_mails_an_hour_and_the_answer_stays_the_same) {
    TestUser user;
    const std::string from = fresh_loopback();
    std::string first_body;
    for (int i = 0; i < 7; ++i) {
        const auto r = forgot(user.email(), from);
        BOOST_TEST_REQUIRE(r.status == 200);
        if (i == 0) first_body = r.body;
        BOOST_TEST(r.body == first_body);
    }
    // LOGIN_RATE_RECOVERY_ACCOUNT_PER_HOUR (5): two requests were dropped.
    size_t mails = 0;
    for (int i = 0; i < 100 && mails < 5; ++i) {
        mails += take_mails_to(user.email()).size();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    mails += count_mails_after(user.email(), 2);
    BOOST_TEST(mails == 5u);
}

BOOST_AUTO_TEST_CASE(one_network_is_refused_with_429_after_thirty_requests) {
    const std::string from = fresh_loopback();
    // LOGIN_RATE_RECOVERY_IP_PER_HOUR (30), each for another identifier.
    for (int i = 0; i < 30; ++i)
        BOOST_TEST_REQUIRE(forgot("nobody-" + random_suffix(), from).status == 200);
    const auto refused = forgot("nobody-" + random_suffix(), from);
    BOOST_TEST(refused.status == 429);
    BOOST_TEST(!refused.header("retry-after").empty());
    // Another network is not affected.
    BOOST_TEST(forgot("nobody-" + random_suffix(), fresh_loopback()).status == 200);
}

BOOST_AUTO_TEST_CASE(one_network_may_open_a_hundred_dead_links_an_hour) {
    const std::string from = fresh_loopback();
    // LOGIN_RATE_BAD_LINK_IP_PER_HOUR (100): reset and verification links count together.
    for (int i = 0; i < 50; ++i)
        BOOST_TEST_REQUIRE(get_from("/password/reset?token=" + std::string(43, 'b'), from).status == 400);
    for (int i = 0; i < 50; ++i)
        BOOST_TEST_REQUIRE(get_from("/email/verify?token=" + std::string(43, 'c'), from).status == 400);
    const auto refused = get_from("/password/reset?token=" + std::string(43, 'b'), from);
    BOOST_TEST(refused.status == 429);
    BOOST_TEST(!refused.header("retry-after").empty());
}

BOOST_AUTO_TEST_SUITE_END()
