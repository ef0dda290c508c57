// Operations endpoints through nginx: /healthz, /readyz, and /metrics (Prometheus text whose
// counters move, only for the allowed network).
#define BOOST_TEST_MODULE e2e_operations
#include <curl/curl.h>

#include "e2e/fixtures.hpp"
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
    BOOST_TEST(after.value("login_workers_live") >= 1);
    BOOST_TEST(after.series.contains(R"(login_profile_db_reads_total{source="read_pool"})"));
    BOOST_TEST(after.has("login_sessions_unreplicated_total"));
    BOOST_TEST(after.has("login_store_reconnects_total"));
}

BOOST_AUTO_TEST_CASE(auth_pool_metrics_have_their_own_path) {
    auto r = get("/metrics/auth");
    BOOST_TEST(r.status == 200);
    const auto samples = parse_prometheus(r.body);
    BOOST_TEST(samples.value("login_workers_live") >= 1);
    BOOST_TEST(samples.sum("login_http_requests_total", "route=\"/login\"") >= 0);
}

BOOST_AUTO_TEST_CASE(metrics_are_refused_outside_the_allowed_network) {
    BOOST_TEST(status_from("127.0.0.1", "/metrics") == 200);
    BOOST_TEST(status_from("127.0.0.3", "/metrics") == 403);
    BOOST_TEST(status_from("127.0.0.3", "/metrics/auth") == 403);
    BOOST_TEST(status_from("127.0.0.3", "/healthz") == 200);  // only /metrics is fenced
}
