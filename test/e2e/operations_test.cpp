// Operations endpoints through nginx: /healthz, /readyz, and /metrics (Prometheus text that
// promtool accepts, whose counters move by exactly what the test did; /readyz and /metrics only
// for the allowed network).
#define BOOST_TEST_MODULE e2e_operations
#include <curl/curl.h>
#include <sys/stat.h>

#include <ctime>
#include <fstream>

#include "e2e/fixtures.hpp"
#include "support/command.hpp"
#include "support/prometheus.hpp"

using namespace testing_support;

namespace {

// GET path from a given local source address (127.0.0.3 is loopback too, but neither allowed nor a trusted proxy).
long status_from(const std::string& source, const std::string& path) {
    CURL* c = curl_easy_init();
    const std::string url = require_env("TEST_BASE_URL") + path;
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_INTERFACE, source.c_str());
    curl_easy_setopt(c, CURLOPT_NOBODY, 0L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, +[](char*, size_t s, size_t n, void*) { return s * n; });
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    return status;
}

int env_int(const char* name) { return std::stoi(require_env(name)); }

PrometheusSamples scrape(const std::string& path) {
    auto r = get(path);
    BOOST_REQUIRE(r.status == 200);
    return parse_prometheus(r.body);
}

std::string attempts(const std::string& family, const std::string& result) {
    return family + "{result=\"" + result + "\"}";
}

}  // namespace

using e2e::EveryResponseChecked;
BOOST_TEST_GLOBAL_FIXTURE(EveryResponseChecked);

BOOST_AUTO_TEST_CASE(readyz_reports_every_store_up) {
    auto r = get("/readyz");
    BOOST_TEST(r.status == 200);
    auto doc = e2e::json_body(r);
    BOOST_TEST(e2e::json_string(doc.get(), "status") == "ready");
    const json_t* checks = json_object_get(doc.get(), "checks");
    for (const char* store : {"postgres", "session_redis", "cache_redis"})
        BOOST_TEST(e2e::json_string(checks, store) == "up", store);
    BOOST_TEST(r.header("cache-control") == "no-store");
}

BOOST_AUTO_TEST_CASE(healthz_stays_plain_liveness) {
    auto r = get("/healthz");
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.body == "ok\n");
}

BOOST_AUTO_TEST_CASE(metrics_parse_as_prometheus_text_and_counters_move) {
    e2e::TestUser user;
    const std::string sid = user.login();
    // A login replaces the cached profile with a 2-second tombstone; let it expire.
    std::this_thread::sleep_for(std::chrono::milliseconds(2200));
    const std::string home200 = R"(login_http_requests_total{method="GET",route="/home",status="200"})";
    const std::string hits = R"(login_cache_requests_total{cache="profile",result="hit"})";
    auto first = get("/metrics");
    BOOST_TEST(first.status == 200);
    BOOST_TEST(first.header("content-type").starts_with("text/plain; version=0.0.4"));
    const auto before = parse_prometheus(first.body);
    for (int i = 0; i < 5; ++i) BOOST_TEST(get("/home", {e2e::cookie(sid)}).status == 200);
    BOOST_TEST(get("/no-such-page-" + random_suffix()).status == 404);
    const auto after = parse_prometheus(get("/metrics").body);
    BOOST_TEST(after.value(home200) - before.value(home200) == 5);
    BOOST_TEST(after.value(hits) - before.value(hits) >= 4);  // the first view may fill it
    BOOST_TEST(after.value(R"(login_http_requests_total{method="",route="unmatched",status="404"})") >
               before.value(R"(login_http_requests_total{method="",route="unmatched",status="404"})"));
    const std::string count =
        R"(login_http_request_duration_seconds_count{method="GET",route="/home"})";
    BOOST_TEST(after.value(count) - before.value(count) == 5);
    BOOST_TEST(after.value("login_workers_live") == env_int("TEST_APP_WORKERS"));
    BOOST_TEST(after.series.contains(R"(login_profile_db_reads_total{source="read_pool"})"));
    BOOST_TEST(after.has("login_sessions_unreplicated_total"));
    BOOST_TEST(after.has("login_store_reconnects_total"));
}

BOOST_AUTO_TEST_CASE(auth_pool_metrics_have_their_own_path) {
    e2e::TestUser user;
    const std::string posted = R"(login_http_requests_total{method="POST",route="/login",status="303"})";
    const auto before = scrape("/metrics/auth");
    BOOST_TEST(before.value("login_workers_live") == env_int("TEST_AUTH_WORKERS"));
    user.login();
    const auto after = scrape("/metrics/auth");
    BOOST_TEST(after.value(posted) - before.value(posted) == 1);
}

BOOST_AUTO_TEST_CASE(login_attempts_are_counted_by_result) {
    e2e::TestUser user;
    const std::string family = "login_attempts_total";
    const auto before = scrape("/metrics/auth");
    user.login();
    BOOST_TEST(post_form("/login", "username=" + user.username() + "&password=wrong-" +
                                       random_suffix()).status == 303);
    // A form without a password is a 400, not an attempt.
    BOOST_TEST(post_form("/login", "username=" + user.username()).status == 400);
    const auto after = scrape("/metrics/auth");
    BOOST_TEST(after.value(attempts(family, "success")) - before.value(attempts(family, "success")) == 1);
    BOOST_TEST(after.value(attempts(family, "failure")) - before.value(attempts(family, "failure")) == 1);
    for (const char* r : {"throttled", "locked", "unavailable"})
        BOOST_TEST(after.value(attempts(family, r)) == before.value(attempts(family, r)), r);
}

BOOST_AUTO_TEST_CASE(failures_beyond_the_free_ones_are_counted_as_throttled) {
    e2e::TestUser user;
    const std::string family = "login_attempts_total";
    const std::string body = "username=" + user.username() + "&password=wrong-password-1";
    const auto before = scrape("/metrics/auth");
    long last = 0;
    int tries = 0;
    // Five free failures, then the account must wait a second: the next try at once is a 429.
    for (; tries < 7 && last != 429; ++tries) last = post_form("/login", body).status;
    BOOST_REQUIRE(last == 429);
    const auto after = scrape("/metrics/auth");
    BOOST_TEST(after.value(attempts(family, "throttled")) - before.value(attempts(family, "throttled")) == 1);
    BOOST_TEST(after.value(attempts(family, "failure")) - before.value(attempts(family, "failure")) ==
               tries - 1);
}

BOOST_AUTO_TEST_CASE(registrations_are_counted_by_result) {
    const std::string family = "login_registration_attempts_total";
    const std::string name = "reg" + random_suffix().substr(0, 8);
    const auto before = scrape("/metrics/auth");
    const std::string fields = R"({"username":")" + name +
                               R"(","display_name":"Reg","email":")" + name + R"(@example.com",)";
    BOOST_TEST(send_json("POST", "/register", fields + R"("password":"short"})").status == 422);
    BOOST_TEST(send_json("POST", "/register", fields + R"("password":"a-long-enough-password"})").status == 201);
    const auto after = scrape("/metrics/auth");
    BOOST_TEST(after.value(attempts(family, "failure")) - before.value(attempts(family, "failure")) == 1);
    BOOST_TEST(after.value(attempts(family, "success")) - before.value(attempts(family, "success")) == 1);
    store::Pg(e2e::login_database_url()).exec_sql("DELETE FROM users WHERE username = '" + name + "'");
}

BOOST_AUTO_TEST_CASE(current_password_checks_are_counted_as_reauthentications) {
    e2e::TestUser user;
    const std::string sid = user.login();
    const std::string family = "login_reauth_attempts_total";
    const std::string email = "new-" + random_suffix() + "@example.com";
    const auto before = scrape("/metrics/auth");
    // Without the current password nothing was checked: 422, and no attempt.
    BOOST_TEST(send_json("PATCH", "/api/v1/me", R"({"email":")" + email + R"("})",
                         {e2e::cookie(sid)}).status == 422);
    BOOST_TEST(send_json("PATCH", "/api/v1/me",
                         R"({"email":")" + email + R"(","current_password":"not-it-123456"})",
                         {e2e::cookie(sid)}).status == 422);
    BOOST_TEST(send_json("PATCH", "/api/v1/me",
                         R"({"email":")" + email + R"(","current_password":")" + user.password() + R"("})",
                         {e2e::cookie(sid)}).status == 200);
    const auto after = scrape("/metrics/auth");
    BOOST_TEST(after.value(attempts(family, "failure")) - before.value(attempts(family, "failure")) == 1);
    BOOST_TEST(after.value(attempts(family, "success")) - before.value(attempts(family, "success")) == 1);
    for (const char* r : {"throttled", "locked", "unavailable"})
        BOOST_TEST(after.value(attempts(family, r)) == before.value(attempts(family, r)), r);
}

BOOST_AUTO_TEST_CASE(build_info_names_the_version_of_the_running_binary) {
    const auto version = run_command(shell_quote(LOGIN_BIN_PATH) + " version");
    BOOST_REQUIRE(version.exit_code == 0);
    const std::string v = version.output.substr(0, version.output.find('\n'));
    BOOST_TEST(v != "unknown");
    for (const char* path : {"/metrics", "/metrics/auth"})
        BOOST_TEST(scrape(path).value("login_build_info{version=\"" + v + "\"}") == 1, path);
}

BOOST_AUTO_TEST_CASE(process_metrics_cover_the_supervisor_and_every_worker_of_a_pool) {
    for (const auto& [path, pool, workers] :
         {std::tuple{"/metrics", "app", env_int("TEST_APP_WORKERS")},
          std::tuple{"/metrics/auth", "auth", env_int("TEST_AUTH_WORKERS")}}) {
        BOOST_TEST_CONTEXT(path) {
            const auto s = scrape(path);
            BOOST_TEST(s.value("login_pool_processes") == workers + 1);
            // Each process holds at least stdin/out/err, the socket and its store connections.
            BOOST_TEST(s.value("process_open_fds") >= 4.0 * (workers + 1));
            BOOST_TEST(s.value("process_resident_memory_bytes") >= 1e6 * (workers + 1));
            BOOST_TEST(s.value("process_cpu_seconds_total") > 0);
            BOOST_TEST(s.value("process_max_fds") > 0);
            // The supervisor started when the stack wrote its pid file (to the second).
            struct stat st {};
            BOOST_REQUIRE(stat((require_env("TEST_STACK_DIR") + "/run/" + pool + ".pid").c_str(), &st) == 0);
            BOOST_TEST(std::abs(s.value("process_start_time_seconds") - static_cast<double>(st.st_mtime)) <= 2);
        }
    }
}

BOOST_AUTO_TEST_CASE(promtool_accepts_the_exposition_of_both_pools) {
    for (const char* path : {"/metrics", "/metrics/auth"}) {
        const std::string file = "/tmp/login-metrics-" + random_suffix() + ".txt";
        std::ofstream(file) << get(path).body;
        const auto r = run_command("promtool check metrics < " + shell_quote(file));
        std::remove(file.c_str());
        BOOST_TEST(r.exit_code == 0, path << ": " << r.output);
        BOOST_TEST(r.output.empty(), path << ": " << r.output);
    }
}

BOOST_AUTO_TEST_CASE(metrics_are_refused_outside_the_allowed_network) {
    BOOST_TEST(status_from("127.0.0.1", "/metrics") == 200);
    BOOST_TEST(status_from("127.0.0.3", "/metrics") == 403);
    BOOST_TEST(status_from("127.0.0.3", "/metrics/auth") == 403);
    BOOST_TEST(status_from("127.0.0.1", "/readyz") == 200);
    BOOST_TEST(status_from("127.0.0.3", "/readyz") == 403);
    BOOST_TEST(status_from("127.0.0.3", "/healthz") == 200);  // liveness stays public
    // Only nginx reports a refused hashing request.
    BOOST_TEST(status_from("127.0.0.1", "/internal/hash-queue-rejected") == 404);
}
