// The operator CLI (`login-fcgi user ...`, `client ...`, `demo-seed`) against the test stack:
// each command acts through the same services as the web routes, so what it does shows at once
// through nginx (a created user logs in, a disabled one is logged out), writes an audit line,
// and exits 0, 1 (failure, with a message) or 2 (usage).
#define BOOST_TEST_MODULE e2e_cli
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "e2e/fixtures.hpp"
#include "util/text.hpp"

using namespace testing_support;

namespace {

struct Run {
    int status = -1;
    std::string out;  // stdout and stderr
};

// Runs login-fcgi with args against the test stack, stdin_text on its standard input.
Run cli(const std::string& args, const std::string& stdin_text = "",
        const std::string& extra_env = "") {
    const std::string input = "/tmp/login-cli-test-" + random_suffix();
    std::ofstream(input) << stdin_text;
    const std::string cmd = "env LOGIN_DATABASE_URL='" + require_env("TEST_DATABASE_URL") +
                            "' LOGIN_SESSION_REDIS_URL='" + require_env("TEST_REDIS_URL") +
                            "' LOGIN_CACHE_REDIS_URL='" + require_env("TEST_CACHE_REDIS_URL") +
                            "' LOGIN_KEY_PREFIX='" + require_env("TEST_KEY_PREFIX") + "' " +
                            extra_env + " " LOGIN_BIN_PATH " " + args + " <" + input + " 2>&1";
    Run run;
    FILE* p = popen(cmd.c_str(), "r");
    BOOST_REQUIRE(p);
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) run.out.append(buf, n);
    const int raw = pclose(p);
    run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    std::remove(input.c_str());
    return run;
}

// A username of this run (removed at the end through the database).
struct CliUser {
    std::string name = "cli-" + random_suffix();
    std::string password = "pw-" + random_suffix() + "-long";
    ~CliUser() {
        try {
            store::Pg pg(e2e::login_database_url());
            pg.define("cli_delete_user", "DELETE FROM users WHERE username = $1");
            pg.exec("cli_delete_user", {name});
        } catch (...) {
        }
    }
    Run create(const std::string& role = "user") const {
        return cli("user create " + name + " --display-name 'Cli Person' --email " + name +
                       "@example.com --role " + role,
                   password + "\n");
    }
};

long login_status(const std::string& user, const std::string& password) {
    return post_form("/login", "username=" + user + "&password=" + util::url_encode(password)).status;
}

bool session_alive(const std::string& sid) { return get("/api/v1/me", {e2e::cookie(sid)}).status == 200; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_created_user_logs_in_and_sees_their_name_at_home) {
    CliUser u;
    const auto run = u.create();
    BOOST_TEST(run.status == 0, run.out);
    BOOST_TEST(run.out.find("\"event\":\"user_created\"") != std::string::npos, run.out);
    BOOST_TEST(run.out.find(u.password) == std::string::npos);  // never echoed, never logged
    const std::string sid = login(u.name, u.password);
    const auto home = get("/home", {e2e::cookie(sid)});
    BOOST_TEST(home.status == 200);
    BOOST_TEST(home.body.find("Cli Person") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_admin_created_by_the_cli_opens_admin_and_a_user_does_not) {
    CliUser admin, plain;
    BOOST_REQUIRE(admin.create("admin").status == 0);
    BOOST_REQUIRE(plain.create().status == 0);
    BOOST_TEST(get("/admin", {e2e::cookie(login(admin.name, admin.password))}).status == 200);
    const std::string sid = login(plain.name, plain.password);
    BOOST_TEST(get("/admin", {e2e::cookie(sid)}).status == 403);
    // set-roles applies at once; a change of roles ends the sessions made under the old ones.
    BOOST_TEST(cli("user set-roles " + plain.name + " admin,user").status == 0);
    BOOST_TEST(!session_alive(sid));
    BOOST_TEST(get("/admin", {e2e::cookie(login(plain.name, plain.password))}).status == 200);
}

BOOST_AUTO_TEST_CASE(disable_ends_the_sessions_and_refuses_logins_until_enabled) {
    CliUser u;
    BOOST_REQUIRE(u.create().status == 0);
    const std::string sid = login(u.name, u.password);
    BOOST_REQUIRE(session_alive(sid));
    const auto run = cli("user disable " + u.name);
    BOOST_TEST(run.status == 0, run.out);
    BOOST_TEST(run.out.find("\"event\":\"user_disabled\"") != std::string::npos, run.out);
    BOOST_TEST(!session_alive(sid));  // the cached profile was dropped with the write
    BOOST_TEST(post_form("/login", "username=" + u.name + "&password=" + u.password)
                   .header("location") == "/login?error=1");
    BOOST_TEST(cli("user enable " + u.name).status == 0);
    BOOST_TEST(login_status(u.name, u.password) == 303);
    BOOST_TEST(session_alive(login(u.name, u.password)));
}

BOOST_AUTO_TEST_CASE(set_password_reads_stdin_ends_sessions_and_the_new_one_works) {
    CliUser u;
    BOOST_REQUIRE(u.create().status == 0);
    const std::string sid = login(u.name, u.password);
    const std::string next = "another-long-password-" + random_suffix();
    const auto run = cli("user set-password " + u.name, next + "\n");
    BOOST_TEST(run.status == 0, run.out);
    BOOST_TEST(!session_alive(sid));
    BOOST_TEST(session_alive(login(u.name, next)));
    // The password rules are the web's: too short is refused, with the reason, exit 1.
    const auto short_one = cli("user set-password " + u.name, "short\n");
    BOOST_TEST(short_one.status == 1);
    BOOST_TEST(short_one.out.find("new_password") != std::string::npos, short_one.out);
}

BOOST_AUTO_TEST_CASE(end_sessions_logs_out_every_browser) {
    CliUser u;
    BOOST_REQUIRE(u.create().status == 0);
    const std::string a = login(u.name, u.password), b = login(u.name, u.password);
    const auto run = cli("user end-sessions " + u.name);
    BOOST_TEST(run.status == 0, run.out);
    BOOST_TEST(!session_alive(a));
    BOOST_TEST(!session_alive(b));
}

BOOST_AUTO_TEST_CASE(list_shows_users_after_an_id) {
    CliUser u;
    BOOST_REQUIRE(u.create().status == 0);
    const auto run = cli("user list --limit 1000");
    BOOST_TEST(run.status == 0);
    BOOST_TEST(run.out.find("\t" + u.name + "\tCli Person\t") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(mistakes_exit_2_for_usage_and_1_for_failures) {
    CliUser u;
    BOOST_TEST(cli("user").status == 2);
    BOOST_TEST(cli("user frobnicate x").status == 2);
    BOOST_TEST(cli("user create " + u.name + " --email a@example.com", "pw\n").status == 2);
    BOOST_TEST(cli("user create " + u.name + " --display-name X --email a@example.com --role root",
                   "long-enough-password\n").status == 2);
    BOOST_TEST(cli("user list --limit 0").status == 2);
    const auto missing = cli("user disable nobody-" + random_suffix());
    BOOST_TEST(missing.status == 1);
    BOOST_TEST(missing.out.find("no user") != std::string::npos, missing.out);
    BOOST_TEST(cli("user create " + u.name + " --display-name X --email a@example.com", "").status == 1);
    BOOST_REQUIRE(u.create().status == 0);
    const auto taken = u.create();
    BOOST_TEST(taken.status == 1);
    BOOST_TEST(taken.out.find("taken") != std::string::npos, taken.out);
}

// Production needs a server key of its own (LOGIN_SECRET_KEY), even for commands that sign nothing.
constexpr const char* kProduction =
    "LOGIN_PROFILE=production LOGIN_SECRET_KEY=cli-test-server-key-0123456789abcdefghijkl";

BOOST_AUTO_TEST_CASE(production_refuses_demo_seeding_and_guessable_imported_tokens) {
    const auto demo = cli("demo-seed", "demo-pass-123\n", kProduction);
    BOOST_TEST(demo.status == 1);
    BOOST_TEST(demo.out.find("refused") != std::string::npos, demo.out);
    const std::string name = "cli-client-" + random_suffix();
    const auto weak = cli("client create " + name + " --scope users:read --token "
                          "dev-reporting-token-0123456789abcdef", "", kProduction);
    BOOST_TEST(weak.status == 1);
    BOOST_TEST(weak.out.find("32 random characters") != std::string::npos, weak.out);
    const auto strong = cli("client create " + name + " --scope users:read --token "
                            "Jq8vN2xKp4Lr7Ws9Ty3Ub6Vc1Zd5Ae0Hf", "", kProduction);
    BOOST_TEST(strong.status == 0, strong.out);
    BOOST_TEST(get("/api/v1/users?limit=1", {"Authorization: Bearer Jq8vN2xKp4Lr7Ws9Ty3Ub6Vc1Zd5Ae0Hf"})
                   .status == 200);
    BOOST_TEST(cli("client revoke " + name).status == 0);
}
