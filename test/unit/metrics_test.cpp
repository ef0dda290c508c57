#define BOOST_TEST_MODULE unit_metrics
#include <boost/test/unit_test.hpp>
// Covers metrics: the text exposition format, counters by route and status, the histogram.

#include <map>
#include <sstream>
#include <string>

#include "http/error.hpp"
#include "metrics/metrics.hpp"
#include "routes/throttle.hpp"
#include "support/prometheus.hpp"

using testing_support::parse_prometheus;

namespace {

const std::vector<metrics::RouteLabel> kRoutes = {{"GET", "/home"}, {"GET", "/api/v1/users/{id}"}};

}  // namespace

BOOST_AUTO_TEST_CASE(render_is_valid_prometheus_text_with_every_family) {
    metrics::request(0, 200, 0.003);
    const auto samples = parse_prometheus(metrics::render(kRoutes));
    for (const char* name :
         {"login_http_requests_total", "login_http_request_duration_seconds_bucket",
          "login_cache_requests_total", "login_store_errors_total", "login_store_reconnects_total",
          "login_workers_live", "login_profile_fill_total", "login_profile_db_reads_total",
          "login_sessions_unreplicated_total", "login_attempts_total",
          "login_registration_attempts_total", "login_reauth_attempts_total",
          "login_hash_queue_rejections_total", "login_build_info", "process_cpu_seconds_total",
          "process_resident_memory_bytes", "process_open_fds", "process_max_fds",
          "process_start_time_seconds"}) {
        BOOST_TEST(samples.has(name), name << " is missing");
    }
}

BOOST_AUTO_TEST_CASE(requests_count_by_route_and_status) {
    const std::string home200 =
        R"(login_http_requests_total{method="GET",route="/home",status="200"})";
    const std::string user404 =
        R"(login_http_requests_total{method="GET",route="/api/v1/users/{id}",status="404"})";
    const std::string unmatched =
        R"(login_http_requests_total{method="",route="unmatched",status="404"})";
    const auto before = parse_prometheus(metrics::render(kRoutes));
    metrics::request(0, 200, 0.001);
    metrics::request(0, 200, 0.002);
    metrics::request(1, 404, 0.001);
    metrics::request(-1, 404, 0.001);
    const auto after = parse_prometheus(metrics::render(kRoutes));
    BOOST_TEST(after.value(home200) - before.value(home200) == 2);
    BOOST_TEST(after.value(user404) - before.value(user404) == 1);
    BOOST_TEST(after.value(unmatched) - before.value(unmatched) == 1);
}

BOOST_AUTO_TEST_CASE(histogram_buckets_are_cumulative_and_end_with_the_count) {
    metrics::request(1, 200, 0.0004);
    metrics::request(1, 200, 0.3);
    metrics::request(1, 200, 60);
    const auto s = parse_prometheus(metrics::render(kRoutes));
    const std::string l = R"({method="GET",route="/api/v1/users/{id}")";
    const double count = s.value("login_http_request_duration_seconds_count" + l + "}");
    BOOST_TEST(s.value("login_http_request_duration_seconds_bucket" + l + ",le=\"0.001\"}") >= 1);
    BOOST_TEST(s.value("login_http_request_duration_seconds_bucket" + l + ",le=\"0.5\"}") >= 2);
    BOOST_TEST(s.value("login_http_request_duration_seconds_bucket" + l + ",le=\"10\"}") ==
               count - 1);
    BOOST_TEST(s.value("login_http_request_duration_seconds_bucket" + l + ",le=\"+Inf\"}") == count);
    BOOST_TEST(s.value("login_http_request_duration_seconds_sum" + l + "}") >= 60.3);
}

BOOST_AUTO_TEST_CASE(store_cache_and_replication_counters_move) {
    metrics::profile_read(metrics::ProfileRead::primary_standby_behind);
    metrics::session_unreplicated();
    metrics::store_error(metrics::Store::redis_cache);
    metrics::store_reconnect(metrics::Store::postgres);
    metrics::cache_hit(metrics::Cache::profile);
    metrics::cache_miss(metrics::Cache::token);
    const auto s = parse_prometheus(metrics::render(kRoutes));
    BOOST_TEST(s.value(R"(login_profile_db_reads_total{source="primary_standby_behind"})") == 1);
    BOOST_TEST(s.value(R"(login_profile_db_reads_total{source="read_pool"})") == 0);
    BOOST_TEST(s.value("login_sessions_unreplicated_total") == 1);
    BOOST_TEST(s.value(R"(login_store_errors_total{store="redis_cache"})") == 1);
    BOOST_TEST(s.value(R"(login_store_reconnects_total{store="postgres"})") == 1);
    BOOST_TEST(s.value(R"(login_cache_requests_total{cache="profile",result="hit"})") == 1);
    BOOST_TEST(s.value(R"(login_cache_requests_total{cache="token",result="miss"})") == 1);
}

BOOST_AUTO_TEST_CASE(the_parser_rejects_malformed_text) {
    BOOST_CHECK_THROW(parse_prometheus("login_x{a=\"1\" 2\n"), std::runtime_error);
    BOOST_CHECK_THROW(parse_prometheus("login_x notanumber\n"), std::runtime_error);
    BOOST_CHECK_THROW(parse_prometheus("# TYPE login_x counter\n# TYPE login_x counter\n"),
                      std::runtime_error);
}

BOOST_AUTO_TEST_CASE(a_refused_attempt_counts_as_locked_for_an_hourly_limit_else_throttled) {
    const std::string locked = R"(login_attempts_total{result="locked"})";
    const std::string throttled = R"(login_attempts_total{result="throttled"})";
    const std::string reg_throttled = R"(login_registration_attempts_total{result="throttled"})";
    const auto before = parse_prometheus(metrics::render(kRoutes));
    http::Request req;
    for (const char* reason : {"account_limit", "device_limit", "delay", "ip_limit"})
        BOOST_CHECK_THROW(routes::refuse_if_limited({false, 3, reason}, req, "login",
                                                    metrics::Attempt::login),
                          http::Error);
    BOOST_CHECK_THROW(routes::refuse_if_limited({false, 3, "limit"}, req, "registration",
                                                metrics::Attempt::registration),
                      http::Error);
    // The API's limit is no credential check: not counted.
    BOOST_CHECK_THROW(routes::refuse_if_limited({false, 3, "limit"}, req, "api"), http::Error);
    routes::refuse_if_limited({true, 0, ""}, req, "login", metrics::Attempt::login);
    const auto after = parse_prometheus(metrics::render(kRoutes));
    BOOST_TEST(after.value(locked) - before.value(locked) == 2);
    BOOST_TEST(after.value(throttled) - before.value(throttled) == 2);
    BOOST_TEST(after.value(reg_throttled) - before.value(reg_throttled) == 1);
    BOOST_TEST(after.sum("login_attempts_total") - before.sum("login_attempts_total") == 4);
}
