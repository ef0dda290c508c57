// Shared pieces of the fault tests: control of the test stack's own servers (through
// scripts/stack.sh and its pid files, never by process name), a steady load of logged-in users
// reading and writing, and the checks that follow a fault. Header-only: each test is its own
// program, bounded by its CTest timeout.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "e2e/fixtures.hpp"
#include "support/env.hpp"
#include "support/http_client.hpp"
#include "support/processes.hpp"
#include "support/prometheus.hpp"

namespace fault {

using namespace std::chrono_literals;
using testing_support::children_of;
using Clock = std::chrono::steady_clock;
using testing_support::HttpRequest;
using testing_support::HttpResponse;

// The directory of the stack under test (make test exports it).
inline std::string stack_dir() { return testing_support::require_env("TEST_STACK_DIR"); }

// Runs a shell command (stderr joined to stdout), logs its output under label, and fails the
// test when it fails.
inline void run_script(const std::string& cmd, const std::string& label) {
    FILE* out = popen((cmd + " 2>&1").c_str(), "r");
    BOOST_REQUIRE(out != nullptr);
    std::string text;
    char buf[512];
    while (size_t n = fread(buf, 1, sizeof buf, out)) text.append(buf, n);
    const int status = pclose(out);
    BOOST_TEST_MESSAGE(label << ": " << text);
    BOOST_REQUIRE_MESSAGE(WIFEXITED(status) && WEXITSTATUS(status) == 0,
                          label << " failed: " << text);
}

// Runs `scripts/stack.sh <action>-part <part>` against the test stack: stops or starts one of
// its servers through its own pid file. Fails the test when the script fails.
inline void stack_part(const std::string& action, const std::string& part) {
    run_script("STACK_DIR='" + stack_dir() + "' '" LOGIN_SOURCE_DIR "/scripts/stack.sh' " +
                   action + "-part " + part,
               "stack.sh " + action + "-part " + part);
}

// Starts a server again when the test ends, however it ends, so later tests find the stack whole.
struct Restore {
    std::string part;
    ~Restore() {
        try {
            const std::string cmd = "STACK_DIR='" + stack_dir() + "' '" LOGIN_SOURCE_DIR
                                    "/scripts/stack.sh' start-part " + part + " >/dev/null 2>&1";
            [[maybe_unused]] int rc = std::system(cmd.c_str());
        } catch (...) {
        }
    }
};

inline pid_t pid_from_file(const std::string& path) {
    std::ifstream in(path);
    long pid = 0;
    in >> pid;
    return static_cast<pid_t>(pid);
}

// The supervisor of a worker pool ("app" or "auth") of the test stack.
inline pid_t pool_supervisor(const std::string& pool) {
    return pid_from_file(stack_dir() + "/run/" + pool + ".pid");
}


// Polls pred every 20 ms until it holds or limit passes; returns the time it took, or nullopt.
template <class Pred>
std::optional<std::chrono::milliseconds> time_until(Pred pred, std::chrono::milliseconds limit) {
    const auto start = Clock::now();
    while (Clock::now() - start < limit) {
        if (pred()) return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
        std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
}

// GET /readyz's "status" ("ready", "degraded", "unavailable"), or "<no answer>".
inline std::string readiness() {
    try {
        auto r = testing_support::get("/readyz");
        auto doc = util::json_parse(r.body, nullptr);
        if (!doc) return "<no answer>";
        return e2e::json_string(doc->get(), "status");
    } catch (const std::exception&) {
        return "<no answer>";
    }
}

inline testing_support::PrometheusSamples scrape(const std::string& path = "/metrics") {
    return testing_support::parse_prometheus(testing_support::get(path).body);
}

// One request of the load and how it ended (status 0: the connection itself failed).
struct Sample {
    double at = 0;  // seconds since the load started, when the answer came
    bool write = false;
    long status = 0;
    double ms = 0;  // how long it took
};

// Logged-in users, each in its own thread, reading /home (and /api/v1/me) without pause and,
// when asked, changing their display name every fourth request to "w-<user>-<n>", n counting
// up. Every response is recorded. The users are real accounts of the stack, deleted afterwards.
class SteadyLoad {
  public:
    struct Options {
        int users = 4;
        bool writes = true;
    };

    explicit SteadyLoad(Options options) : options_(options) {
        for (int i = 0; i < options_.users; ++i) {
            users_.push_back(std::make_unique<e2e::TestUser>("Load " + std::to_string(i)));
            sessions_.push_back(users_.back()->login());
            last_acked_.push_back(0);
            last_sent_.push_back(0);
        }
        // A login replaces the cached profile with a 2-second tombstone; once it has expired,
        // one page view per user warms the cache.
        std::this_thread::sleep_for(2100ms);
        for (int i = 0; i < options_.users; ++i)
            testing_support::get("/home", {e2e::cookie(sessions_[i])});
        start_ = Clock::now();
        for (int i = 0; i < options_.users; ++i) threads_.emplace_back([this, i] { run(i); });
    }

    ~SteadyLoad() { stop(); }

    void stop() {
        stop_ = true;
        for (auto& t : threads_)
            if (t.joinable()) t.join();
    }

    double now() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

    // The recorded samples (call after stop(), or accept a snapshot).
    std::vector<Sample> samples() const {
        std::lock_guard lock(mutex_);
        return samples_;
    }

    // Samples in [from, to) seconds that match the filter.
    std::vector<Sample> between(double from, double to,
                                const std::function<bool(const Sample&)>& keep = nullptr) const {
        std::vector<Sample> out;
        for (const auto& s : samples())
            if (s.at >= from && s.at < to && (!keep || keep(s))) out.push_back(s);
        return out;
    }

    static bool failed(const Sample& s) { return s.status < 200 || s.status >= 300; }

    // Milliseconds from `since` to the last failed request after it (0 when none failed): how
    // long the load as a whole took to recover.
    double last_failure_ms_after(double since) const {
        double last = since;
        for (const auto& s : samples())
            if (s.at >= since && failed(s)) last = std::max(last, s.at);
        return (last - since) * 1000;
    }

    int users() const { return options_.users; }
    const e2e::TestUser& user(int i) const { return *users_[i]; }
    const std::string& session(int i) const { return sessions_[i]; }

    // Every display-name change the stack acknowledged with 2xx is in PostgreSQL: each user's
    // row carries the last acknowledged value or a later one that was sent (a write can commit
    // and still lose its answer), never an older one. Call after stop().
    void check_acknowledged_writes_are_in_postgres() const {
        store::Pg pg(e2e::login_database_url());
        pg.define("fault_display_name", "SELECT display_name FROM users WHERE id = $1");
        for (int i = 0; i < options_.users; ++i) {
            auto r = pg.exec("fault_display_name", {std::to_string(users_[i]->id())});
            BOOST_REQUIRE(PQntuples(r.get()) == 1);
            const std::string name = *store::pg_value(r.get(), 0, 0);
            const std::string prefix = "w-" + std::to_string(i) + "-";
            int stored = 0;
            if (name.starts_with(prefix)) stored = std::stoi(name.substr(prefix.size()));
            BOOST_TEST(stored >= last_acked_[i], "user " << i << ": write " << last_acked_[i]
                                                         << " was acknowledged, PostgreSQL has "
                                                         << name);
            BOOST_TEST(stored <= last_sent_[i]);
        }
    }

    int acknowledged_writes() const {
        int n = 0;
        for (int v : last_acked_) n += v;
        return n;
    }

  private:
    void record(double started, bool write, long status) {
        const double done = now();
        std::lock_guard lock(mutex_);
        samples_.push_back({done, write, status, (done - started) * 1000});
    }

    void run(int i) {
        const std::string cookie = e2e::cookie(sessions_[i]);
        // Each user from an address of its own, as real users are: nginx limits the API per
        // address (100 a second), and one address for every user would hit that limit.
        const std::string from = e2e::fresh_loopback_address();
        for (int n = 1; !stop_; ++n) {
            const bool write = options_.writes && n % 4 == 0;
            const double started = now();
            long status = 0;
            try {
                if (write) {
                    const int seq = last_sent_[i] + 1;
                    last_sent_[i] = seq;
                    const std::string body = R"({"display_name":"w-)" + std::to_string(i) + "-" +
                                             std::to_string(seq) + R"("})";
                    status = testing_support::send({"PATCH", "/api/v1/me",
                                                    {cookie, "Content-Type: application/json"},
                                                    body, true, from})
                                 .status;
                    if (status >= 200 && status < 300) last_acked_[i] = seq;
                } else {
                    status = testing_support::send({"GET", n % 2 ? "/home" : "/api/v1/me",
                                                    {cookie}, "", false, from})
                                 .status;
                }
            } catch (const std::exception&) {
                status = 0;
            }
            record(started, write, status);
            std::this_thread::sleep_for(2ms);
        }
    }

    Options options_;
    std::vector<std::unique_ptr<e2e::TestUser>> users_;
    std::vector<std::string> sessions_;
    std::vector<int> last_acked_;  // written by thread i only, read after stop()
    std::vector<int> last_sent_;
    std::vector<std::thread> threads_;
    std::atomic<bool> stop_{false};
    Clock::time_point start_;
    mutable std::mutex mutex_;
    std::vector<Sample> samples_;
};

// A one-line summary for docs/OPERATIONS.md, printed with the test output (ctest -V).
inline void report(const std::string& row, size_t total, size_t failed, double recovery_ms) {
    std::printf("FAULT-RESULT %s: %zu requests, %zu failed, recovery %.0f ms\n", row.c_str(), total,
                failed, recovery_ms);
    std::fflush(stdout);
}

}  // namespace fault
