#define BOOST_TEST_MODULE e2e_verify
#include <boost/test/unit_test.hpp>
// Verified email addresses through the whole stack: registration mails a link, the link
// verifies once, the home page's banner resends it (with a limit), and a changed address takes
// effect only once its own link is opened, while the old address gets a notice; the API's
// user object and delta sync see the change.

#include "e2e/api_fixtures.hpp"
#include "e2e/fixtures.hpp"
#include "e2e/mail_fixtures.hpp"

using namespace e2e;
using testing_support::HttpRequest;
using testing_support::random_suffix;
using testing_support::require_env;

BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

namespace {

// A freshly registered account (by form, in lang), deleted at the end.
class Registered {
  public:
    explicit Registered(const std::string& lang = "en")
        : username_("ver-" + random_suffix()), email_(username_ + "@example.net"),
          pg_(login_database_url()) {
        HttpRequest req;
        req.method = "POST";
        req.path = "/register";
        req.headers = {"Content-Type: application/x-www-form-urlencoded", "Cookie: lang=" + lang};
        req.body = "username=" + username_ + "&display_name=Verifier&email=" +
                   util::url_encode(email_) + "&password=" + util::url_encode(password_);
        req.send_body = true;
        const auto r = testing_support::send(req);
        BOOST_TEST_REQUIRE(r.status == 303, "registration answered " << r.status);
        sid_ = r.set_cookie_value("sid");
    }
    ~Registered() {
        try {
            pg_.exec_sql("DELETE FROM users WHERE username = '" + username_ + "'");
        } catch (...) {
        }
    }
    Registered(const Registered&) = delete;
    Registered& operator=(const Registered&) = delete;

    const std::string& email() const { return email_; }
    const std::string& sid() const { return sid_; }
    const std::string& password() const { return password_; }

    util::Json me() const {
        const auto r = testing_support::get("/api/v1/me", {cookie(sid_), "Accept: application/json"});
        BOOST_TEST_REQUIRE(r.status == 200);
        return json_body(r);
    }

  private:
    std::string username_;
    std::string email_;
    std::string password_ = "register-pass-123";
    std::string sid_;
    store::Pg pg_;
};

std::string verify_link(const Mail& mail) {
    const std::string link =
        mail.link_starting(require_env("TEST_BASE_URL") + "/email/verify?token=");
    BOOST_TEST_REQUIRE(!link.empty(), "no verification link in: " << mail.text);
    return local_path(link);
}

bool is_verified(const json_t* user) {
    return json_is_true(json_object_get(user, "email_verified"));
}

}  // namespace

BOOST_AUTO_TEST_CASE(registration_mails_a_link_that_verifies_the_address_once) {
    Registered account;
    BOOST_TEST(!is_verified(account.me().get()));
    const auto home = testing_support::get("/home", {cookie(account.sid())});
    BOOST_TEST(home.body.find("action=\"/email/verify/resend\"") != std::string::npos);
    const Mail mail = wait_for_mail(account.email());
    BOOST_TEST(mail.header("Subject") == "Confirm your email address");
    const std::string path = verify_link(mail);
    const auto ok = testing_support::get(path);
    BOOST_TEST(ok.status == 200);
    BOOST_TEST(ok.body.find(account.email()) != std::string::npos);
    BOOST_TEST(is_verified(account.me().get()));
    const auto after = testing_support::get("/home", {cookie(account.sid())});
    BOOST_TEST(after.body.find("action=\"/email/verify/resend\"") == std::string::npos);
    BOOST_TEST(testing_support::get(path).status == 400);  // used up
}

BOOST_AUTO_TEST_CASE(the_mail_follows_the_language_of_the_registration) {
    Registered account("pt-BR");
    const Mail mail = wait_for_mail(account.email());
    BOOST_TEST(mail.header("Content-Language") == "pt-BR");
    BOOST_TEST(mail.text.find("Confirme que este endereço") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(resending_replaces_the_link_and_is_limited) {
    Registered account;
    const std::string first = verify_link(wait_for_mail(account.email()));
    const std::string csrf = "csrf_token=" + csrf_token_in(
        testing_support::get("/home", {cookie(account.sid())}).body);
    const auto resent = testing_support::post_form("/email/verify/resend", csrf, {cookie(account.sid())});
    BOOST_TEST(resent.status == 303);
    BOOST_TEST(resent.header("location") == "/home?email=sent");
    const std::string second = verify_link(wait_for_mail(account.email()));
    BOOST_TEST(testing_support::get(first).status == 400);  // the newer link killed it
    BOOST_TEST(testing_support::get(second).status == 200);
    // Without the form token the dispatcher refuses it.
    BOOST_TEST(testing_support::post_form("/email/verify/resend", "", {cookie(account.sid())}).status == 403);
}

BOOST_AUTO_TEST_CASE(resend_is_refused_after_five_an_hour) {
    Registered account;
    const std::string csrf = "csrf_token=" + csrf_token_in(
        testing_support::get("/home", {cookie(account.sid())}).body);
    for (int i = 0; i < 5; ++i)
        BOOST_TEST_REQUIRE(testing_support::post_form("/email/verify/resend", csrf,
                                                      {cookie(account.sid())})
                               .status == 303);
    const auto refused =
        testing_support::post_form("/email/verify/resend", csrf, {cookie(account.sid())});
    BOOST_TEST(refused.status == 429);
    BOOST_TEST(!refused.header("retry-after").empty());
}

BOOST_AUTO_TEST_CASE(a_new_address_takes_effect_only_once_verified_and_the_old_one_is_told) {
    Registered account;
    const std::string old_address = account.email();
    verify_link(wait_for_mail(old_address));  // the registration's link, left unused
    auto pg = store::Pg(login_database_url());
    const std::string since = database_time(pg, "-1 second");
    const std::string fresh = "moved-" + random_suffix() + "@example.org";
    const auto patched = testing_support::send_json(
        "PATCH", "/api/v1/me",
        "{\"email\":\"" + fresh + "\",\"current_password\":\"" + account.password() + "\"}",
        {cookie(account.sid()), "Origin: " + require_env("TEST_BASE_URL")});
    BOOST_TEST_REQUIRE(patched.status == 200);
    auto body = json_body(patched);
    BOOST_TEST(json_string(body.get(), "email") == old_address);
    BOOST_TEST(json_string(body.get(), "pending_email") == fresh);
    const Mail notice = wait_for_mail(old_address);
    BOOST_TEST(notice.header("Subject") == "Your email address is being changed");
    BOOST_TEST(notice.text.find(fresh) != std::string::npos);
    const std::string path = verify_link(wait_for_mail(fresh));
    BOOST_TEST(json_string(account.me().get(), "email") == old_address);
    BOOST_TEST_REQUIRE(testing_support::get(path).status == 200);
    const auto me = account.me();
    BOOST_TEST(json_string(me.get(), "email") == fresh);
    BOOST_TEST(is_verified(me.get()));
    // Delta sync sees the change.
    const auto page = testing_support::get("/api/v1/users?updated_since=" + util::url_encode(since) + "&limit=500",
                                           {bearer(kDemoToken), "Accept: application/json"});
    BOOST_TEST_REQUIRE(page.status == 200);
    const auto doc = json_body(page);
    bool seen = false;
    size_t i;
    json_t* u;
    json_array_foreach(json_object_get(doc.get(), "data"), i, u) {
        if (json_string(u, "email") == fresh) seen = is_verified(u);
    }
    BOOST_TEST(seen);
}

BOOST_AUTO_TEST_CASE(the_profile_form_shows_that_the_new_address_waits_for_its_link) {
    Registered account;
    const std::string csrf = "csrf_token=" + csrf_token_in(
        testing_support::get("/profile", {cookie(account.sid())}).body);
    const std::string fresh = "form-" + random_suffix() + "@example.org";
    const auto r = testing_support::post_form(
        "/profile",
        csrf + "&display_name=Verifier&email=" + util::url_encode(fresh) +
            "&current_password=" + account.password(),
        {cookie(account.sid())});
    BOOST_TEST_REQUIRE(r.status == 303);
    BOOST_TEST(r.header("location") == "/home?email=pending");
    const auto home = testing_support::get("/home?email=pending", {cookie(account.sid())});
    BOOST_TEST(home.body.find("We sent a link to your new address") != std::string::npos);
    wait_for_mail(fresh);
}

BOOST_AUTO_TEST_CASE(garbage_verification_tokens_are_400) {
    const std::string from = fresh_loopback();
    BOOST_TEST(get_from("/email/verify?token=nope", from).status == 400);
    BOOST_TEST(get_from("/email/verify", from).status == 400);
    BOOST_TEST(get_from("/email/verify?token=a&token=b", from).status == 400);
}
