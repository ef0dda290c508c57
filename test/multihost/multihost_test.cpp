// The multi-host failure scenarios of issue #8, on the topology of test/multihost/hosts.sh (one
// network namespace per host), each under a steady load of logged-in users. hosts.sh starts the
// hosts, runs this program in the client namespace and removes everything afterwards; it exits 77
// (CTest: skipped) where namespaces cannot be made. The cases run in this order on purpose: the
// first leaves one worker host, so that every later /metrics scrape sees the whole app pool, and
// the last leaves no PostgreSQL standby.
#define BOOST_TEST_MODULE multihost
#include <cstdlib>
#include <map>

#include "fault/fault_fixtures.hpp"
#include "store/keys.hpp"

using namespace fault;
using testing_support::require_env;

namespace {

// Runs `hosts.sh <args>` (a stop, a kill or a promotion of one host's server); fails the test
// when it fails.
void hosts(const std::string& args) {
    run_script("'" + require_env("MH_HOSTS_SH") + "' " + args, "hosts.sh " + args);
}

void result(const std::string& line) {
    std::printf("MULTIHOST-RESULT %s\n", line.c_str());
    std::fflush(stdout);
}

std::string profile_key(int64_t id) {
    return store::Keys(require_env("TEST_KEY_PREFIX")).profile(id);
}

double db_reads(const std::string& source) {
    return scrape().value("login_profile_db_reads_total{source=\"" + source + "\"}");
}

std::string display_name_of(const std::string& sid) {
    const auto r = testing_support::get("/api/v1/me", {e2e::cookie(sid)});
    BOOST_TEST_REQUIRE(r.status == 200);
    return e2e::json_string(e2e::json_body(r).get(), "display_name");
}

struct Failures {
    size_t total = 0, failed = 0;
    double max_ms = 0;
};

Failures reads_between(const SteadyLoad& load, double from, double to) {
    Failures f;
    for (const auto& s : load.between(from, to, [](const Sample& s) { return !s.write; })) {
        ++f.total;
        if (SteadyLoad::failed(s)) ++f.failed;
        f.max_ms = std::max(f.max_ms, s.ms);
    }
    return f;
}

// Users logged in at once, their cached profiles warm (a login leaves a 2-second tombstone).
struct LoggedIn {
    std::vector<std::unique_ptr<e2e::TestUser>> users;
    std::vector<std::string> sessions;
    LoggedIn(int n, const std::string& name) {
        for (int i = 0; i < n; ++i) {
            users.push_back(std::make_unique<e2e::TestUser>(name + " " + std::to_string(i)));
            sessions.push_back(users.back()->login());
        }
        std::this_thread::sleep_for(2100ms);
        for (const auto& sid : sessions) testing_support::get("/home", {e2e::cookie(sid)});
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(killed_worker_host_fails_no_idempotent_request) {
    SteadyLoad load({.users = 4, .writes = false});
    std::this_thread::sleep_for(1500ms);
    const double killed_at = load.now();
    hosts("kill-host w2");
    // A login after the kill: nginx resends even a POST when the connection to the dead host
    // was never made. Then long enough for nginx to try w2 again (fail_timeout=10s).
    std::this_thread::sleep_for(500ms);
    const auto login_start = Clock::now();
    LoggedIn late(1, "Late");
    const auto login_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              Clock::now() - login_start).count() - 2100;
    std::this_thread::sleep_for(std::chrono::milliseconds(11000 - login_ms));
    // Every request now goes to the host that is left.
    for (int i = 0; i < 5; ++i) {
        const std::string uri = "/healthz?probe=" + testing_support::random_suffix();
        BOOST_TEST(testing_support::get(uri).status == 200);
        const std::string upstream = e2e::upstream_of(uri);
        BOOST_TEST(upstream.ends_with(require_env("MH_W1_APP")), uri << " went to " << upstream);
    }
    load.stop();

    const Failures before = reads_between(load, 0, killed_at);
    const Failures after = reads_between(load, killed_at, 1e9);
    BOOST_TEST(before.total > 0u);
    BOOST_TEST(after.total > 0u, "the remaining host answered nothing");
    BOOST_TEST(before.failed + after.failed == 0u);
    result("kill worker host w2: " + std::to_string(before.total + after.total) + " GETs (" +
           std::to_string(after.total) + " after the kill), " +
           std::to_string(before.failed + after.failed) + " failed, slowest after the kill " +
           std::to_string(static_cast<int>(after.max_ms)) + " ms; a login right after took " +
           std::to_string(login_ms) + " ms");
}

BOOST_AUTO_TEST_CASE(next_read_after_a_write_sees_it_while_the_standby_lags) {
    LoggedIn people(2, "RYW");
    const std::string writer = people.sessions[0], bystander = people.sessions[1];
    store::Pg standby(require_env("MH_PG_STANDBY_URL"));
    struct Resume {
        store::Pg& pg;
        ~Resume() {
            try { pg.exec_sql("SELECT pg_wal_replay_resume()"); } catch (...) {}
        }
    } resume{standby};

    // Baseline: a cold read of an unchanged user goes to the read pool (the standby).
    const double pool_before = db_reads("read_pool");
    store::Redis cache(require_env("TEST_CACHE_REDIS_URL"));
    cache.command({"DEL", profile_key(people.users[1]->id())});
    BOOST_TEST(display_name_of(bystander) == "RYW 1");
    BOOST_TEST(db_reads("read_pool") == pool_before + 1);

    standby.exec_sql("SELECT pg_wal_replay_pause()");
    const auto patch = testing_support::send_json("PATCH", "/api/v1/me",
                                                  R"({"display_name":"RYW new"})", {e2e::cookie(writer)});
    BOOST_TEST_REQUIRE(patch.status == 200);
    // The standby really is behind: it still has the old name.
    auto on_standby = standby.exec_sql("SELECT display_name FROM users WHERE id = " +
                                       std::to_string(people.users[0]->id()));
    BOOST_TEST(*store::pg_value(on_standby.get(), 0, 0) == "RYW 0");

    const double after_write = db_reads("primary_after_write");
    BOOST_TEST(display_name_of(writer) == "RYW new");
    BOOST_TEST(db_reads("primary_after_write") == after_write + 1);

    // Past the read-your-writes window the standby is still behind: the fill reads the primary.
    std::this_thread::sleep_for(std::chrono::seconds(std::stoi(require_env("MH_READ_YOUR_WRITES_SECONDS"))) +
                                200ms);
    const double behind = db_reads("primary_standby_behind");
    BOOST_TEST(display_name_of(writer) == "RYW new");
    BOOST_TEST(db_reads("primary_standby_behind") == behind + 1);

    standby.exec_sql("SELECT pg_wal_replay_resume()");
    const auto caught_up = time_until(
        [&] {
            auto r = standby.exec_sql("SELECT pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()");
            return *store::pg_value(r.get(), 0, 0) == "t";
        },
        5000ms);
    BOOST_TEST_REQUIRE(caught_up.has_value());
    cache.command({"DEL", profile_key(people.users[1]->id())});
    const double pool_after = db_reads("read_pool");
    BOOST_TEST(display_name_of(bystander) == "RYW 1");
    BOOST_TEST(db_reads("read_pool") == pool_after + 1);
    result("read-your-writes with standby replay paused: new value read at once (primary_after_write) "
           "and after the window (primary_standby_behind); unchanged user read from the standby");
}

BOOST_AUTO_TEST_CASE(stopped_cache_node_misses_only_its_keys_and_they_refill) {
    constexpr int kUsers = 12;
    LoggedIn people(kUsers, "Cache");
    SteadyLoad load({.users = 4, .writes = false});
    const auto urls = require_env("MH_CACHE_NODE_URLS");
    store::Redis c1(urls.substr(0, urls.find(' '))), c2(urls.substr(urls.find(' ') + 1));

    // Which node holds each profile; the copies on the surviving node get a marker name, so a
    // page that shows the marker was served from the cache, not from PostgreSQL.
    std::vector<int> on_c1, on_c2;
    for (int i = 0; i < kUsers; ++i) {
        const std::string key = profile_key(people.users[i]->id());
        if (auto text = c1.command({"GET", key}).string()) {
            std::string marked = *text;
            const std::string name = "\"Cache " + std::to_string(i) + "\"";
            const size_t at = marked.find(name);
            BOOST_TEST_REQUIRE(at != std::string::npos, "no display name in " << marked);
            marked.replace(at, name.size(), "\"Marked " + std::to_string(i) + "\"");
            c1.command({"SET", key, marked, "KEEPTTL"});
            on_c1.push_back(i);
        } else if (c2.command({"GET", key}).string()) {
            on_c2.push_back(i);
        }
    }
    BOOST_TEST_REQUIRE(!on_c1.empty(), "no cached test profile on c1");
    BOOST_TEST_REQUIRE(!on_c2.empty(), "no cached test profile on c2");

    const double stopped_at = load.now();
    hosts("stop c2 cache");
    // c2's keys now hash to c1: each misses once, is read from PostgreSQL and filled there.
    const auto refilled = time_until(
        [&] {
            for (int i : on_c2) {
                BOOST_TEST(display_name_of(people.sessions[i]) == "Cache " + std::to_string(i));
                if (!c1.command({"GET", profile_key(people.users[i]->id())}).string()) return false;
            }
            return true;
        },
        6000ms);
    BOOST_TEST(refilled.has_value(), "c2's profiles were not refilled on c1");
    // c1's keys never missed: the marker is still what the pages show.
    for (int i : on_c1) BOOST_TEST(display_name_of(people.sessions[i]) == "Marked " + std::to_string(i));
    std::this_thread::sleep_for(5500ms);  // past server_retry_timeout: nutcracker tries c2 again
    for (int i : on_c1) BOOST_TEST(display_name_of(people.sessions[i]) == "Marked " + std::to_string(i));
    load.stop();

    const Failures f = reads_between(load, stopped_at, 1e9);
    BOOST_TEST(f.failed == 0u);
    result("stop cache node c2: " + std::to_string(on_c2.size()) + " of " + std::to_string(on_c1.size() + on_c2.size()) +
           " cached profiles were on c2 and refilled on c1 within " +
           std::to_string(refilled ? refilled->count() : -1) + " ms; the " + std::to_string(on_c1.size()) +
           " on c1 stayed hits; load " + std::to_string(f.total) + " GETs, " + std::to_string(f.failed) +
           " failed, slowest " + std::to_string(static_cast<int>(f.max_ms)) + " ms");
}

BOOST_AUTO_TEST_CASE(session_primary_stopped_sentinel_fails_over_and_sessions_survive) {
    const double unreplicated = scrape().value("login_sessions_unreplicated_total");
    LoggedIn people(6, "Sess");
    // Every login waited for the replica (LOGIN_SESSION_WAIT_REPLICAS=1).
    BOOST_TEST(scrape().value("login_sessions_unreplicated_total") == unreplicated);
    SteadyLoad load({.users = 4, .writes = false});
    store::Redis sentinel(require_env("MH_SENTINEL_URL"));
    auto primary = [&] {
        auto r = sentinel.command({"SENTINEL", "get-master-addr-by-name", "mymaster"});
        if (r.size() != 2) return std::string();
        return r[0].string().value_or("") + ":" + r[1].string().value_or("");
    };
    const std::string old_primary = primary();
    BOOST_TEST_REQUIRE(old_primary == require_env("MH_SESSION_PRIMARY"));
    std::this_thread::sleep_for(1000ms);

    const double stopped_at = load.now();
    hosts("stop r1 redis");
    const auto promoted = time_until([&] { return primary() != old_primary; }, 20000ms);
    BOOST_TEST_REQUIRE(promoted.has_value(), "Sentinel did not fail over within 20 s");
    const auto serving = time_until(
        [&] { return testing_support::get("/home", {e2e::cookie(people.sessions[0])}).status == 200; },
        10000ms);
    BOOST_TEST(serving.has_value());
    std::this_thread::sleep_for(1000ms);
    load.stop();

    // Every session made before the failover still works on the new primary.
    for (const auto& sid : people.sessions)
        BOOST_TEST(testing_support::get("/home", {e2e::cookie(sid)}).status == 200);
    for (int i = 0; i < load.users(); ++i)
        BOOST_TEST(testing_support::get("/home", {e2e::cookie(load.session(i))}).status == 200);
    const Failures f = reads_between(load, stopped_at, 1e9);
    const double window_ms = load.last_failure_ms_after(stopped_at);
    BOOST_TEST(window_ms < 10000);
    result("stop session Redis primary r1: Sentinel promoted " + primary() + " after " +
           std::to_string(promoted->count()) + " ms; " + std::to_string(f.failed) + " of " +
           std::to_string(f.total) + " GETs failed, the last " + std::to_string(static_cast<int>(window_ms)) +
           " ms after the stop; all " + std::to_string(people.sessions.size() + load.users()) +
           " earlier sessions still valid");
}

BOOST_AUTO_TEST_CASE(promoted_standby_takes_writes_and_no_acknowledged_write_is_lost) {
    SteadyLoad load({.users = 4, .writes = true});
    std::this_thread::sleep_for(1500ms);
    const double stopped_at = load.now();
    hosts("stop pg1 pg");
    const double promoted_at = load.now();
    hosts("promote");
    auto write_ok_after = [&](double since) {
        return !load.between(since, 1e9, [](const Sample& s) { return s.write && !SteadyLoad::failed(s); })
                    .empty();
    };
    const auto resumed = time_until([&] { return write_ok_after(promoted_at); }, 20000ms);
    BOOST_TEST_REQUIRE(resumed.has_value(), "no write succeeded within 20 s of the promotion");
    std::this_thread::sleep_for(1500ms);
    load.stop();

    load.check_acknowledged_writes_are_in_postgres();
    double first_write_s = 1e9;
    for (const auto& s : load.between(promoted_at, 1e9, [](const Sample& s) { return s.write && !SteadyLoad::failed(s); }))
        first_write_s = std::min(first_write_s, s.at);
    const auto failed_writes = load.between(stopped_at, 1e9, [](const Sample& s) { return s.write && SteadyLoad::failed(s); });
    const Failures reads = reads_between(load, stopped_at, 1e9);
    result("stop PostgreSQL primary pg1, promote pg2: writes resumed " +
           std::to_string(static_cast<int>((first_write_s - stopped_at) * 1000)) + " ms after the stop (" +
           std::to_string(static_cast<int>((first_write_s - promoted_at) * 1000)) + " ms after promote); " +
           std::to_string(failed_writes.size()) + " writes failed meanwhile, " +
           std::to_string(load.acknowledged_writes()) + " acknowledged writes, none lost; reads " +
           std::to_string(reads.failed) + " of " + std::to_string(reads.total) + " failed");
    BOOST_TEST(first_write_s - stopped_at < 15.0);
}
