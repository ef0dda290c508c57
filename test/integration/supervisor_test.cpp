// The real login-fcgi binary in supervisor mode: it preforks, replaces a killed worker, and
// stops cleanly on SIGTERM.
#define BOOST_TEST_MODULE integration_supervisor
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/env.hpp"
#include "support/processes.hpp"

using namespace testing_support;
using namespace std::chrono_literals;

namespace {

// A development server key: `serve` refuses to start without one.
constexpr const char* kSecretKey = "LOGIN_SECRET_KEY=supervisor-test-key-0123456789abcdefghij";

// True while pid exists and is not a zombie (an orphan's zombie may wait for init to reap it).
bool is_running(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return false;
    const size_t close = line.rfind(')');
    return close != std::string::npos && close + 2 < line.size() && line[close + 2] != 'Z';
}

template <class Pred>
bool wait_until(Pred pred, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (pred()) return true;
        std::this_thread::sleep_for(20ms);
    }
    return pred();
}

// The nice value of a process, field 19 of /proc/<pid>/stat.
int nice_of(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string field;
    for (int i = 3; i <= 19; ++i) rest >> field;
    return std::stoi(field);
}

// The command that runs `login-fcgi serve` as PID 1 of a new PID namespace, as a container's
// entry point does (a user namespace too when we are not root).
std::vector<const char*> as_pid_one() {
    std::vector<const char*> cmd{"/usr/bin/unshare", "--pid", "--fork", "--mount-proc",
                                 "--kill-child=SIGKILL"};
    if (geteuid() != 0) cmd.insert(cmd.begin() + 1, {"--user", "--map-root-user"});
    return cmd;
}

struct Supervisor {
    std::string socket = "/tmp/login-fcgi-test-" + random_suffix() + ".sock";
    pid_t pid = -1;

    explicit Supervisor(const char* nice = "LOGIN_WORKER_NICE=0",
                        std::vector<const char*> wrapper = {}) {
        const std::string db = "LOGIN_DATABASE_URL=" + require_env("TEST_DATABASE_URL");
        const std::string redis = "LOGIN_REDIS_URL=" + require_env("TEST_REDIS_URL");
        const std::string sock = "LOGIN_SOCKET=" + socket;
        pid = fork();
        if (pid == 0) {
            std::vector<const char*> argv = wrapper;
            argv.insert(argv.end(), {LOGIN_BIN_PATH, "serve", nullptr});
            const char* envp[] = {db.c_str(),          redis.c_str(),         sock.c_str(),
                                  "LOGIN_WORKERS=2",    "LOGIN_SCRYPT_N=1024", "LOGIN_LOG_LEVEL=error",
                                  nice,                 kSecretKey,            nullptr};
            execve(argv[0], const_cast<char**>(argv.data()), const_cast<char**>(envp));
            _exit(127);
        }
    }

    ~Supervisor() {
        if (pid > 0) {
            kill(pid, SIGTERM);
            if (!wait_until([&] { return waitpid(pid, nullptr, WNOHANG) == pid; }, 10000ms)) {
                kill(pid, SIGKILL);
                waitpid(pid, nullptr, 0);
            }
        }
        unlink(socket.c_str());
    }
};

// True once the supervisor has its two workers and both have exec'd "login-fcgi worker": until
// its exec, a child is a copy of the supervisor (same command line, nice value not yet set).
bool two_workers_started(pid_t supervisor) {
    const auto workers = children_of(supervisor);
    if (workers.size() != 2) return false;
    for (pid_t w : workers) {
        std::ifstream in("/proc/" + std::to_string(w) + "/cmdline");
        const std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (cmdline.find(std::string("\0worker\0", 8)) == std::string::npos) return false;
    }
    return true;
}

// A FastCGI GET of path on a unix socket, sent by Debian's cgi-fcgi as a health check would;
// returns what the worker answered (CGI headers and body), "" when nothing answered.
std::string fastcgi_get(const std::string& socket, const std::string& path) {
    const std::string cmd = "env -i REQUEST_METHOD=GET DOCUMENT_URI=" + path + " REQUEST_URI=" + path +
                            " timeout 5 cgi-fcgi -bind -connect " + socket + " 2>&1";
    FILE* out = popen(cmd.c_str(), "r");
    if (!out) return "";
    std::string text;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, out)) > 0) text.append(buf, n);
    pclose(out);
    return text;
}

// The supervisor that unshare started as PID 1 of its namespace (its only child).
pid_t pid_one_of(pid_t unshare_pid) {
    const auto kids = children_of(unshare_pid);
    return kids.size() == 1 ? *kids.begin() : -1;
}

// Children of pid that are zombies (exited, not yet reaped).
size_t zombie_children(pid_t parent) {
    size_t n = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        const size_t close = line.rfind(')');
        char state = 0;
        long ppid = 0;
        if (close == std::string::npos ||
            sscanf(line.c_str() + close + 1, " %c %ld", &state, &ppid) != 2)
            continue;
        if (ppid == parent && state == 'Z') ++n;
    }
    return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(supervisor_as_pid_one_serves_reaps_and_stops_on_sigterm) {
    // A container's entry point is PID 1: its workers once took that for "my supervisor died"
    // and exited at once, so no request was ever served.
    Supervisor sup("LOGIN_WORKER_NICE=0", as_pid_one());
    pid_t one = -1;
    BOOST_REQUIRE(wait_until([&] { return (one = pid_one_of(sup.pid)) > 0 && two_workers_started(one); },
                             10000ms));
    const std::string answer = fastcgi_get(sup.socket, "/healthz");
    BOOST_TEST(answer.starts_with("Status: 200"), answer);

    // A killed worker is reaped (no zombie left) and replaced, as outside a container.
    const pid_t victim = *children_of(one).begin();
    kill(victim, SIGKILL);
    BOOST_TEST(wait_until([&] { return two_workers_started(one) && !children_of(one).contains(victim); },
                          3000ms));
    BOOST_TEST(zombie_children(one) == 0u);
    BOOST_TEST(fastcgi_get(sup.socket, "/healthz").starts_with("Status: 200"));

    // SIGTERM (what `docker stop` sends) ends it well within the engine's 10 s grace.
    const auto workers = children_of(one);
    const auto asked = std::chrono::steady_clock::now();
    kill(one, SIGTERM);
    int status = -1;
    BOOST_REQUIRE(wait_until([&] { return waitpid(sup.pid, &status, WNOHANG) == sup.pid; }, 9000ms));
    sup.pid = -1;
    BOOST_TEST_MESSAGE("stopped in " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::steady_clock::now() - asked).count() << " ms");
    BOOST_TEST(WIFEXITED(status));
    BOOST_TEST(WEXITSTATUS(status) == 0);
    for (pid_t w : workers) BOOST_TEST(!is_running(w));
}

BOOST_AUTO_TEST_CASE(supervisor_preforks_workers_and_opens_the_socket) {
    Supervisor sup;
    BOOST_REQUIRE(wait_until([&] { return children_of(sup.pid).size() == 2; }, 5000ms));
    struct stat st {};
    BOOST_REQUIRE(stat(sup.socket.c_str(), &st) == 0);
    BOOST_TEST(S_ISSOCK(st.st_mode));
}

BOOST_AUTO_TEST_CASE(workers_run_at_the_configured_nice_level) {
    Supervisor sup("LOGIN_WORKER_NICE=7");
    BOOST_REQUIRE(wait_until([&] { return two_workers_started(sup.pid); }, 5000ms));
    for (pid_t w : children_of(sup.pid)) BOOST_TEST(nice_of(w) == 7);
    BOOST_TEST(nice_of(sup.pid) == 0);  // the supervisor itself keeps its priority
}

BOOST_AUTO_TEST_CASE(killed_worker_is_replaced_within_a_second) {
    Supervisor sup;
    BOOST_REQUIRE(wait_until([&] { return children_of(sup.pid).size() == 2; }, 5000ms));
    const auto before = children_of(sup.pid);
    const pid_t victim = *before.begin();
    kill(victim, SIGKILL);
    const bool replaced = wait_until(
        [&] {
            auto now = children_of(sup.pid);
            return now.size() == 2 && !now.contains(victim);
        },
        1000ms);
    BOOST_TEST(replaced);
}

BOOST_AUTO_TEST_CASE(sigterm_stops_workers_and_removes_the_socket) {
    Supervisor sup;
    BOOST_REQUIRE(wait_until([&] { return children_of(sup.pid).size() == 2; }, 5000ms));
    const auto workers = children_of(sup.pid);
    kill(sup.pid, SIGTERM);
    int status = -1;
    const bool exited = wait_until([&] { return waitpid(sup.pid, &status, WNOHANG) == sup.pid; },
                                   10000ms);
    BOOST_REQUIRE(exited);
    sup.pid = -1;
    BOOST_TEST(WIFEXITED(status));
    BOOST_TEST(WEXITSTATUS(status) == 0);
    for (pid_t w : workers) BOOST_TEST(!is_running(w));
    BOOST_TEST(access(sup.socket.c_str(), F_OK) != 0);
}

BOOST_AUTO_TEST_CASE(workers_exit_when_the_supervisor_is_killed_outright) {
    Supervisor sup;
    BOOST_REQUIRE(wait_until([&] { return children_of(sup.pid).size() == 2; }, 5000ms));
    const auto workers = children_of(sup.pid);
    kill(sup.pid, SIGKILL);
    waitpid(sup.pid, nullptr, 0);
    sup.pid = -1;
    const bool all_gone = wait_until(
        [&] { return std::none_of(workers.begin(), workers.end(), is_running); }, 5000ms);
    BOOST_TEST(all_gone);
}

BOOST_AUTO_TEST_CASE(bad_configuration_is_refused_with_a_message) {
    // Run `login-fcgi serve` with a malformed setting; it must exit 2 before forking anything.
    const std::string cmd = std::string("LOGIN_WORKERS=many ") + LOGIN_BIN_PATH + " serve 2>&1";
    FILE* out = popen(cmd.c_str(), "r");
    BOOST_REQUIRE(out != nullptr);
    char buf[512] = {};
    const size_t n = fread(buf, 1, sizeof buf - 1, out);
    const int status = pclose(out);
    BOOST_TEST(WEXITSTATUS(status) == 2);
    BOOST_TEST(std::string(buf, n).find("LOGIN_WORKERS") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(serving_without_a_server_key_is_refused_with_a_message_naming_it) {
    // Every worker signs CSRF tokens and known-device cookies with the same key: no key, no start.
    const std::string cmd = std::string("env -u LOGIN_SECRET_KEY -u LOGIN_SECRET_KEY_FILE ") +
                            LOGIN_BIN_PATH + " serve 2>&1";
    FILE* out = popen(cmd.c_str(), "r");
    BOOST_REQUIRE(out != nullptr);
    char buf[512] = {};
    const size_t n = fread(buf, 1, sizeof buf - 1, out);
    const int status = pclose(out);
    BOOST_TEST(WEXITSTATUS(status) == 2);
    BOOST_TEST(std::string(buf, n).find("LOGIN_SECRET_KEY_FILE") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(workers_exec_the_binary_with_the_shared_metrics_segment) {
    // Each worker is a fresh exec of the binary's path (so a replaced file takes effect on the
    // next rolling restart), handed the metrics segment as fd 3.
    Supervisor sup;
    BOOST_REQUIRE(wait_until([&] { return two_workers_started(sup.pid); }, 5000ms));
    for (pid_t w : children_of(sup.pid)) {
        std::ifstream in("/proc/" + std::to_string(w) + "/cmdline");
        std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
        BOOST_TEST(cmdline.find(" worker --metrics-fd=3") != std::string::npos, cmdline);
        BOOST_TEST(std::filesystem::read_symlink("/proc/" + std::to_string(w) + "/exe") ==
                   std::filesystem::canonical(LOGIN_BIN_PATH));
    }
}
