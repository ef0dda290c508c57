// The documented upgrade, on the make test stack (it runs after every other test but the backup
// drill, and leaves the stack whole at this release's schema): the stack is wiped and started at
// the schema of the commit before the last one that changed sql/ (that commit's scripts/migrate.sh
// and sql/, from git), and then, under a steady load of logins and page views, upgraded as
// docs/DEPLOYMENT.md says: scripts/migrate.sh, SIGHUP to each supervisor, nginx reloaded.
// No request may fail.
#define BOOST_TEST_MODULE ops_upgrade
#include "fault/fault_fixtures.hpp"
#include "support/command.hpp"

using namespace fault;
using testing_support::run_command;
using testing_support::shell_quote;

namespace {

const std::string kRoot = LOGIN_SOURCE_DIR;

std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

// Runs a command that must succeed; returns its output.
std::string must(const std::string& cmd) {
    auto r = run_command(cmd);
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, cmd << " failed: " << r.output);
    return r.output;
}

std::string versions_applied() {
    store::Pg pg(e2e::login_database_url());
    auto r = pg.exec_sql("SELECT string_agg(version, ' ' ORDER BY version) FROM schema_migrations");
    return store::pg_value(r.get(), 0, 0).value_or("");
}

// Form logins of one user, back to back, until stop: each status is recorded.
struct LoginLoop {
    e2e::TestUser user{"Upgrade Login"};
    std::atomic<bool> stop{false};
    std::vector<long> statuses;
    std::thread thread{[this] {
        while (!stop) {
            long status = 0;
            try {
                status = testing_support::post_form("/login", "username=" + user.username() +
                                                                  "&password=" + user.password())
                             .status;
            } catch (const std::exception&) {
            }
            statuses.push_back(status);
            std::this_thread::sleep_for(20ms);
        }
    }};
    std::vector<long> finish() {
        stop = true;
        thread.join();
        return statuses;
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(upgrade_from_the_previous_schema_under_load_fails_no_request) {
    // The previous schema: sql/ and scripts/migrate.sh as they were before the last change to sql/.
    const std::string last =
        trimmed(must("git -C " + shell_quote(kRoot) + " log -n1 --format=%H -- sql/"));
    BOOST_REQUIRE_MESSAGE(last.size() == 40, "no git history of sql/: " << last);
    const std::string old_dir = "/tmp/login-previous-" + testing_support::random_suffix();
    std::filesystem::create_directories(old_dir);
    must("git -C " + shell_quote(kRoot) + " archive " + last +
         "^ sql scripts/migrate.sh | tar -x -C " + shell_quote(old_dir));
    BOOST_TEST_MESSAGE("previous schema: the parent of " << last);

    // Wipe the stack and start it at the previous schema. make test's STACK_DIR and LOGIN_BIN are
    // relative to the checkout: every script runs there, on the absolute TEST_STACK_DIR.
    const std::string in_stack =
        "cd " + shell_quote(kRoot) + " && STACK_DIR=" + shell_quote(stack_dir()) + " ";
    must(in_stack + "scripts/stack.sh stop");
    must("rm -rf " + shell_quote(stack_dir() + "/pg") + " " + shell_quote(stack_dir() + "/redis") +
         " " + shell_quote(stack_dir() + "/cache-redis"));
    must(in_stack + "MIGRATE=" + shell_quote(old_dir + "/scripts/migrate.sh") +
         " SQL_DIR=" + shell_quote(old_dir + "/sql") + " scripts/stack.sh start");
    must(in_stack + "scripts/seed-demo.sh");
    const std::string before = versions_applied();
    BOOST_TEST_MESSAGE("schema before: " << before);

    SteadyLoad load({.users = 3, .writes = true});
    LoginLoop logins;
    std::this_thread::sleep_for(500ms);
    const auto started = Clock::now();

    // 1. Migrate.
    const std::string migrate =
        must("'" + kRoot + "/scripts/migrate.sh' " + shell_quote(e2e::login_database_url()));
    BOOST_TEST_MESSAGE(migrate);
    // 2. SIGHUP each supervisor; wait until every worker is a new one.
    for (const char* pool : {"app", "auth"})
        BOOST_TEST(roll_pool(pool), pool << ": not every worker was replaced within 30 s");
    // 3. Reload nginx.
    const pid_t nginx = pid_from_file(stack_dir() + "/run/nginx.pid");
    BOOST_REQUIRE(nginx > 0);
    BOOST_REQUIRE(kill(nginx, SIGHUP) == 0);
    std::this_thread::sleep_for(1500ms);
    const double upgrade_ms =
        std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    const auto login_statuses = logins.finish();
    load.stop();

    const auto all = load.samples();
    const auto failed = load.between(0, 1e9, SteadyLoad::failed);
    BOOST_TEST(failed.size() == 0u, failed.size()
                                        << " of " << all.size() << " page requests failed");
    size_t logins_failed = 0;
    for (long s : login_statuses) logins_failed += s != 303;
    BOOST_TEST(logins_failed == 0u,
               logins_failed << " of " << login_statuses.size() << " logins failed");
    // The loop logged in throughout (one login is a scrypt hash, p=5: about 2 s each on this
    // shared, loaded machine, so the upgrade's ~10 s see a handful, never fewer than 3).
    BOOST_TEST(login_statuses.size() >= 3u);
    BOOST_TEST(all.size() > 50u);
    load.check_acknowledged_writes_are_in_postgres();

    // Every migration of this release is applied, with its checksum.
    std::string current;
    for (const auto& f : std::filesystem::directory_iterator(kRoot + "/sql"))
        if (f.path().extension() == ".sql" && std::isdigit(f.path().filename().string()[0]))
            current += (current.empty() ? "" : " ") + f.path().stem().string();
    std::vector<std::string> sorted;
    for (std::istringstream in(current); in >> current;) sorted.push_back(current);
    std::sort(sorted.begin(), sorted.end());
    std::string expected;
    for (const auto& v : sorted) expected += (expected.empty() ? "" : " ") + v;
    BOOST_TEST(versions_applied() == expected);
    store::Pg pg(e2e::login_database_url());
    auto r = pg.exec_sql("SELECT count(*) FROM schema_migrations WHERE checksum IS NULL");
    BOOST_TEST(store::pg_value(r.get(), 0, 0).value_or("") == "0");
    std::filesystem::remove_all(old_dir);
    std::printf(
        "UPGRADE-RESULT from %s (%s) to %s: %zu page requests and %zu logins, 0 failed allowed, "
        "%zu + %zu failed; migrate + rolling restart + nginx reload took %.0f ms\n",
        last.substr(0, 12).c_str(), before.c_str(), expected.c_str(), all.size(),
        login_statuses.size(), failed.size(), logins_failed, upgrade_ms);
}
