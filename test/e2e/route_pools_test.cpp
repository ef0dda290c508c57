// Every row of the route table reaches, through nginx, the worker pool the row names: the
// pool split lives in nginx's locations, and this test holds them to the table. Each route is
// called once (no credentials: the answer does not matter, only who answered), and the
// route's request counter moves on that pool's /metrics and not on the other's.
#define BOOST_TEST_MODULE e2e_route_pools
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "routes/routes.hpp"
#include "support/env.hpp"
#include "support/http_client.hpp"
#include "support/prometheus.hpp"

using namespace testing_support;

namespace {

// Requests of one route answered by a pool, whatever their status.
double answered(const std::string& pool, const routes::RouteSpec& row) {
    const auto r = get(pool == "auth" ? "/metrics/auth" : "/metrics");
    BOOST_REQUIRE_EQUAL(r.status, 200);
    return parse_prometheus(r.body).sum(
        "login_http_requests_total",
        "method=\"" + std::string(row.method) + "\",route=\"" + row.pattern + "\"");
}

// answered(), read until it reaches `expected` (a worker counts a request only after it has
// sent the answer, so a read right after it may come first) or two seconds have passed.
double answered_settled(const std::string& pool, const routes::RouteSpec& row, double expected) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    double value = answered(pool, row);
    while (value != expected && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        value = answered(pool, row);
    }
    return value;
}

// The route's path with every {name} filled in.
std::string path_of(std::string pattern) {
    for (size_t open; (open = pattern.find('{')) != std::string::npos;)
        pattern.replace(open, pattern.find('}', open) - open + 1, "1");
    return pattern;
}

}  // namespace

BOOST_AUTO_TEST_CASE(nginx_sends_every_route_to_the_pool_its_row_names) {
    for (const auto& row : routes::route_table()) {
        // GET /metrics is every pool's (nginx maps /metrics/auth to the auth pool's), and this
        // test reads it to count: e2e_operations checks both.
        if (std::string_view(row.pattern) == "/metrics") continue;
        const std::string pool(routes::name(row.pool));
        const std::string other = pool == "app" ? "auth" : "app";
        BOOST_TEST_CONTEXT(row.method << " " << row.pattern << " (pool " << pool << ")") {
            const double before = answered(pool, row);
            const double before_other = answered(other, row);
            HttpRequest req;
            req.method = row.method;
            req.path = path_of(row.pattern);
            const auto resp = send(req);
            BOOST_TEST(resp.status != 502);  // a worker answered
            BOOST_TEST(answered_settled(pool, row, before + 1) == before + 1);
            BOOST_TEST(answered(other, row) == before_other);
        }
    }
}
