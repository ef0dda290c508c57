// Fault: workers killed with SIGKILL in the middle of the load. The supervisor replaces each
// within a second, nginx retries the idempotent request the dead worker held on another one,
// and no read fails.
#define BOOST_TEST_MODULE fault_worker_kill
#include "fault/fault_fixtures.hpp"

using namespace fault;

BOOST_AUTO_TEST_CASE(killed_workers_are_replaced_and_no_read_fails) {
    constexpr int kKills = 4;
    SteadyLoad load({.users = 4, .writes = true});
    const pid_t supervisor = pool_supervisor("app");
    BOOST_REQUIRE(supervisor > 0);
    const size_t pool_size = children_of(supervisor).size();
    BOOST_REQUIRE(pool_size >= 2u);
    const double deaths_before = scrape().value("login_worker_deaths_total");
    std::this_thread::sleep_for(300ms);

    double worst_ms = 0;
    for (int k = 0; k < kKills; ++k) {
        const auto before = children_of(supervisor);
        const pid_t victim = *std::next(before.begin(), k % static_cast<int>(before.size()));
        kill(victim, SIGKILL);
        const auto replaced = time_until(
            [&] {
                auto now = children_of(supervisor);
                return now.size() == pool_size && !now.contains(victim);
            },
            3000ms);
        BOOST_TEST(replaced.has_value());
        if (replaced) {
            BOOST_TEST(replaced->count() <= 1000, "replaced after " << replaced->count() << " ms");
            worst_ms = std::max(worst_ms, static_cast<double>(replaced->count()));
        }
        std::this_thread::sleep_for(400ms);
    }
    load.stop();

    const auto all = load.samples();
    const auto failed_reads = load.between(0, 1e9, [](const Sample& s) {
        return !s.write && SteadyLoad::failed(s);
    });
    const auto failed_writes = load.between(0, 1e9, [](const Sample& s) {
        return s.write && SteadyLoad::failed(s);
    });
    BOOST_TEST(failed_reads.size() == 0u, failed_reads.size() << " reads failed");
    // A PATCH is not idempotent, so nginx never resends it: at most the one each dead worker
    // held can fail, and it must say so (nginx's 503 JSON with Retry-After for the API), not
    // vanish.
    BOOST_TEST(failed_writes.size() <= static_cast<size_t>(kKills));
    for (const auto& s : failed_writes) BOOST_TEST((s.status == 502 || s.status == 503));
    load.check_acknowledged_writes_are_in_postgres();
    BOOST_TEST(scrape().value("login_worker_deaths_total") >= deaths_before + kKills);
    BOOST_TEST(scrape().value("login_workers_live") == static_cast<double>(pool_size));
    report("4 workers SIGKILLed", all.size(), failed_reads.size() + failed_writes.size(), worst_ms);
}
