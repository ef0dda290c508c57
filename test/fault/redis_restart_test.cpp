// Fault: the session Redis crashes (SIGKILL) and is started again. Sessions survive through its
// append-only file, and the workers reconnect without help.
#define BOOST_TEST_MODULE fault_redis_restart
#include "fault/fault_fixtures.hpp"

using namespace fault;

BOOST_AUTO_TEST_CASE(sessions_survive_a_redis_crash_and_restart) {
    SteadyLoad load({.users = 3, .writes = true});
    Restore restore{"redis"};
    // appendfsync everysec: sessions older than a second are on disk.
    std::this_thread::sleep_for(1500ms);

    const double down_at = load.now();
    stack_part("kill", "redis");
    stack_part("start", "redis");
    const double up_at = load.now();
    const auto recovered = time_until(
        [&] {
            for (int i = 0; i < load.users(); ++i)
                if (testing_support::get("/home", {e2e::cookie(load.session(i))}).status != 200)
                    return false;
            return true;
        },
        10000ms);
    BOOST_TEST(recovered.has_value(), "the sessions did not work again within 10 s");
    // Every worker comes back by itself within its backoff (at most about a second).
    std::this_thread::sleep_for(2500ms);
    const double settled_at = load.now() - 1.0;
    load.stop();

    // The same cookies still log the same users in: the sessions came back from the AOF.
    for (int i = 0; i < load.users(); ++i) {
        auto me = testing_support::get("/api/v1/me", {e2e::cookie(load.session(i))});
        BOOST_TEST(me.status == 200);
        BOOST_TEST(e2e::json_string(e2e::json_body(me).get(), "username") == load.user(i).username());
    }
    const auto all = load.samples();
    const auto odd = load.between(0, 1e9, [](const Sample& s) {
        return s.status != 200 && s.status != 503;
    });
    BOOST_TEST(odd.size() == 0u, odd.size() << " responses were neither 2xx nor 503");
    BOOST_TEST(load.between(0, down_at, SteadyLoad::failed).size() == 0u);
    BOOST_TEST(load.between(settled_at, 1e9, SteadyLoad::failed).size() == 0u);
    load.check_acknowledged_writes_are_in_postgres();
    report("session Redis killed and restarted", all.size(),
           load.between(0, 1e9, SteadyLoad::failed).size(),
           load.last_failure_ms_after(up_at));
}
