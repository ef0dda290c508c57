// Fault: the cache Redis goes away under load. Profiles come from PostgreSQL, nothing fails,
// /readyz says "degraded", and the cache is used again once it is back.
#define BOOST_TEST_MODULE fault_cache_redis_down
#include "fault/fault_fixtures.hpp"

using namespace fault;

BOOST_AUTO_TEST_CASE(cache_redis_down_serves_from_postgres_without_failures) {
    SteadyLoad load({.users = 4, .writes = true});
    Restore restore{"cache-redis"};
    std::this_thread::sleep_for(500ms);
    const auto errors_before = scrape().value(R"(login_store_errors_total{store="redis_cache"})");

    const double down_at = load.now();
    stack_part("stop", "cache-redis");
    std::this_thread::sleep_for(2000ms);
    BOOST_TEST(readiness() == "degraded");
    BOOST_TEST(scrape().value(R"(login_store_errors_total{store="redis_cache"})") > errors_before);

    stack_part("start", "cache-redis");
    const double up_at = load.now();
    auto recovered = time_until([] { return readiness() == "ready"; }, 10000ms);
    BOOST_TEST(recovered.has_value(), "/readyz did not say ready again within 10 s");
    std::this_thread::sleep_for(1000ms);
    load.stop();

    const auto all = load.samples();
    const auto failed = load.between(0, 1e9, SteadyLoad::failed);
    const auto during = load.between(down_at, up_at);
    BOOST_TEST(failed.size() == 0u, failed.size() << " of " << all.size() << " requests failed");
    BOOST_TEST(during.size() > 20u, "the load kept running while the cache was down");
    BOOST_TEST(load.acknowledged_writes() > 0);
    load.check_acknowledged_writes_are_in_postgres();
    report("cache Redis down 2 s", all.size(), failed.size(),
           recovered ? static_cast<double>(recovered->count()) : -1);
}
