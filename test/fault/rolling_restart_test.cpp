// Fault (planned): a deploy. The binary is replaced, both pools restart their workers one by
// one (SIGHUP to each supervisor) and nginx reloads its configuration, under steady load: no
// request fails, and the new workers run the new file.
#define BOOST_TEST_MODULE fault_rolling_restart
#include "fault/fault_fixtures.hpp"

using namespace fault;

namespace {

// Where /proc/<pid>/exe points ("... (deleted)" once the file was replaced).
std::string exe_of(pid_t pid) {
    std::error_code ec;
    return std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec).string();
}

}  // namespace

BOOST_AUTO_TEST_CASE(sighup_rolling_restart_and_nginx_reload_fail_no_request) {
    SteadyLoad load({.users = 4, .writes = true});
    // "Install the new binary": an identical copy renamed over the pools' binary, so the file at
    // that path is a new inode and every process still running the old one shows "(deleted)".
    const std::string binary = exe_of(pool_supervisor("app"));
    BOOST_REQUIRE(!binary.empty() && !binary.ends_with(" (deleted)"));
    std::filesystem::copy_file(binary, binary + ".deploy",
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::rename(binary + ".deploy", binary);
    BOOST_TEST(exe_of(pool_supervisor("app")).ends_with(" (deleted)"));
    std::this_thread::sleep_for(300ms);
    const double started = load.now();
    const auto start_time = Clock::now();
    for (const char* pool : {"app", "auth"}) {
        BOOST_TEST(roll_pool(pool), pool << ": not every worker was replaced within 30 s");
        const pid_t supervisor = pool_supervisor(pool);
        // A worker forked a moment ago runs the supervisor's (old) file until its exec.
        for (pid_t p : children_of(supervisor)) {
            time_until([&] { return exe_of(p) == binary; }, 2000ms);
            BOOST_TEST(exe_of(p) == binary, pool << " worker " << p << " runs " << exe_of(p));
        }
    }
    const pid_t nginx = pid_from_file(stack_dir() + "/run/nginx.pid");
    BOOST_REQUIRE(nginx > 0);
    BOOST_REQUIRE(kill(nginx, SIGHUP) == 0);
    std::this_thread::sleep_for(1500ms);
    const double deploy_ms =
        std::chrono::duration<double, std::milli>(Clock::now() - start_time).count();
    load.stop();

    const auto all = load.samples();
    const auto failed = load.between(0, 1e9, SteadyLoad::failed);
    BOOST_TEST(failed.size() == 0u, failed.size() << " of " << all.size() << " requests failed");
    BOOST_TEST(load.between(started, 1e9).size() > 50u);
    BOOST_TEST(load.acknowledged_writes() > 0);
    load.check_acknowledged_writes_are_in_postgres();
    report("SIGHUP both pools + nginx reload", all.size(), failed.size(), deploy_ms);
}
