#define BOOST_TEST_MODULE e2e_admin_users
#include <boost/test/unit_test.hpp>
// User management by admins through the /admin pages: search with keyset paging, a page per
// user, and each action (enable/disable, roles, end sessions, reset the second factor, send a
// recovery mail) with its effect, its audit line naming the admin, the CSRF defence, 403 for
// non-admins, and the refusals that keep an admin from locking themselves out.

#include <fstream>
#include <sstream>

#include "e2e/fixtures.hpp"
#include "e2e/mail_fixtures.hpp"
#include "util/text.hpp"

using namespace e2e;
using testing_support::random_suffix;
using testing_support::require_env;

BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

namespace {

// A TestUser made an admin in the database before it ever logs in (nothing cached yet).
struct TestAdmin : TestUser {
    TestAdmin() : TestUser("E2E Admin") {
        store::Pg pg(login_database_url());
        pg.exec_sql("UPDATE users SET roles = '{admin,user}' WHERE id = " + std::to_string(id()));
        sid = login();
    }
    std::string sid;
    // A form body with this admin's CSRF token, read from the user page as a browser would.
    std::string form(int64_t target, const std::string& rest = "") const {
        const auto page = testing_support::get(page_of(target), {cookie(sid)});
        BOOST_TEST_REQUIRE(page.status == 200);
        return "csrf_token=" + csrf_token_in(page.body) + (rest.empty() ? "" : "&" + rest);
    }
    HttpResponse post(int64_t target, const std::string& action, const std::string& rest = "") const {
        return testing_support::post_form(page_of(target) + "/" + action, form(target, rest),
                                          {cookie(sid)});
    }
    static std::string page_of(int64_t id) { return "/admin/users/" + std::to_string(id); }
};

bool logged_in(const std::string& sid) {
    return testing_support::get("/home", {cookie(sid)}).status == 200;
}

// The app pool's log lines with this event and user_id, as the audit trail shows them.
std::string audit_line(const std::string& event, int64_t user_id) {
    const std::string want_event = "\"event\":\"" + event + "\"";
    const std::string want_user = "\"user_id\":\"" + std::to_string(user_id) + "\"";
    for (int attempt = 0; attempt < 20; ++attempt) {
        std::ifstream in(require_env("TEST_STACK_DIR") + "/log/app.log");
        std::string line, found;
        while (std::getline(in, line))
            if (line.find(want_event) != std::string::npos && line.find(want_user) != std::string::npos)
                found = line;
        if (!found.empty()) return found;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(search_finds_users_by_username_or_email_prefix_with_keyset_paging) {
    TestAdmin admin;
    TestUser a("Alpha");
    TestUser b("Beta");
    const auto by_name = testing_support::get("/admin?q=" + a.username(), {cookie(admin.sid)});
    BOOST_TEST(by_name.status == 200);
    BOOST_TEST(by_name.body.find("href=\"/admin/users/" + std::to_string(a.id()) + "\"") != std::string::npos);
    BOOST_TEST(by_name.body.find(b.username()) == std::string::npos);
    const auto by_mail = testing_support::get("/admin?q=" + util::url_encode(b.email().substr(0, 14)),
                                              {cookie(admin.sid)});
    BOOST_TEST(by_mail.body.find(b.username()) != std::string::npos);
    // Both share the "e2e-" prefix; a page of one shows the newer, and the link goes on below it.
    const auto wild = testing_support::get("/admin?q=e2e%25", {cookie(admin.sid)});  // % is literal
    BOOST_TEST(wild.status == 200);
    BOOST_TEST(wild.body.find("No user matches.") != std::string::npos);
    BOOST_TEST(testing_support::get("/admin?q=x&bogus=1", {cookie(admin.sid)}).status == 400);
}

BOOST_AUTO_TEST_CASE(the_user_page_shows_the_account_and_its_actions) {
    TestAdmin admin;
    TestUser user;
    user.login();
    const auto page = testing_support::get(TestAdmin::page_of(user.id()), {cookie(admin.sid) + "; lang=pt-BR"});
    BOOST_TEST(page.status == 200);
    BOOST_TEST(page.body.find(user.email()) != std::string::npos);
    BOOST_TEST(page.body.find("Sessões ativas</dt><dd>1</dd>") != std::string::npos);
    for (const std::string action : {"enabled", "roles", "sessions/end", "recovery-mail"})
        BOOST_TEST(page.body.find("action=\"/admin/users/" + std::to_string(user.id()) + "/" + action + "\"") !=
                   std::string::npos, action);
    BOOST_TEST(testing_support::get("/admin/users/999999999999", {cookie(admin.sid)}).status == 404);
    BOOST_TEST(testing_support::get("/admin/users/abc", {cookie(admin.sid)}).status == 404);
}

BOOST_AUTO_TEST_CASE(disabling_ends_the_sessions_and_is_audited_with_the_admin) {
    TestAdmin admin;
    TestUser user;
    const std::string sid = user.login();
    const auto r = admin.post(user.id(), "enabled", "enabled=0");
    BOOST_TEST(r.status == 303);
    BOOST_TEST(r.header("location") == TestAdmin::page_of(user.id()) + "?done=disabled");
    BOOST_TEST(!logged_in(sid));
    BOOST_TEST(testing_support::post_form("/login", "username=" + user.username() + "&password=" +
                                                        util::url_encode(user.password()))
                   .header("location") == "/login?error=1");
    const std::string line = audit_line("user_disabled", user.id());
    BOOST_TEST(line.find("\"admin_id\":\"" + std::to_string(admin.id()) + "\"") != std::string::npos, line);
    BOOST_TEST(admin.post(user.id(), "enabled", "enabled=1").status == 303);
    BOOST_TEST(!user.login().empty());
}

BOOST_AUTO_TEST_CASE(roles_and_end_sessions_act_on_the_user) {
    TestAdmin admin;
    TestUser user;
    std::string sid = user.login();
    BOOST_TEST(testing_support::get("/admin", {cookie(sid)}).status == 403);
    BOOST_TEST(admin.post(user.id(), "roles", "role=user&role=admin").status == 303);
    sid = user.login();  // a role change ends the sessions (the generation moved on)
    BOOST_TEST(testing_support::get("/admin", {cookie(sid)}).status == 200);
    BOOST_TEST(audit_line("user_roles_set", user.id()).find("\"roles\":\"user,admin\"") != std::string::npos);
    BOOST_TEST(admin.post(user.id(), "roles", "role=root").status == 400);
    BOOST_TEST(admin.post(user.id(), "roles", "").status == 400);
    BOOST_TEST(admin.post(user.id(), "sessions/end").status == 303);
    BOOST_TEST(!logged_in(sid));
    BOOST_TEST(!audit_line("sessions_revoked", user.id()).empty());
}

BOOST_AUTO_TEST_CASE(an_admin_cannot_disable_themselves_or_drop_their_own_admin_role) {
    TestAdmin admin;
    const auto disable = admin.post(admin.id(), "enabled", "enabled=0");
    BOOST_TEST(disable.status == 409);
    BOOST_TEST(disable.body.find("You cannot do this to your own account.") != std::string::npos);
    const auto demote = admin.post(admin.id(), "roles", "role=user");
    BOOST_TEST(demote.status == 409);
    BOOST_TEST(logged_in(admin.sid));
    BOOST_TEST(testing_support::get("/admin", {cookie(admin.sid)}).status == 200);
}

BOOST_AUTO_TEST_CASE(a_recovery_mail_goes_to_the_user) {
    TestAdmin admin;
    TestUser user;
    BOOST_TEST(admin.post(user.id(), "recovery-mail").status == 303);
    const Mail mail = wait_for_mail(user.email());
    BOOST_TEST(!mail.link_starting(require_env("TEST_BASE_URL") + "/password/reset?token=").empty());
    BOOST_TEST(!audit_line("recovery_mail_requested", user.id()).empty());
}

BOOST_AUTO_TEST_CASE(every_action_needs_the_form_token_and_an_admin) {
    TestAdmin admin;
    TestUser user;
    const std::string sid = user.login();
    const std::string target = TestAdmin::page_of(admin.id());
    // No token: 403, nothing changed.
    BOOST_TEST(testing_support::post_form(TestAdmin::page_of(user.id()) + "/enabled", "enabled=0",
                                          {cookie(admin.sid)}).status == 403);
    BOOST_TEST(logged_in(sid));
    // A user (with their own valid token) is refused every action on the admin.
    const std::string own = "csrf_token=" + csrf_token_in(testing_support::get("/home", {cookie(sid)}).body);
    for (const std::string action : {"enabled", "roles", "sessions/end", "mfa/reset", "recovery-mail"}) {
        const auto r = testing_support::post_form(target + "/" + action, own + "&enabled=0&role=user",
                                                  {cookie(sid)});
        BOOST_TEST(r.status == 403, action);
    }
    BOOST_TEST(testing_support::get(target, {cookie(sid)}).status == 403);
    BOOST_TEST(logged_in(admin.sid));
    // Anonymous: to the login page.
    BOOST_TEST(testing_support::get(target).status == 303);
}
