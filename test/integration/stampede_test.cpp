// Cache stampede protection against the real Redis and PostgreSQL: when a hot profile is
// missing from the cache and many workers want it at once, one of them reads PostgreSQL.
#define BOOST_TEST_MODULE integration_stampede
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <latch>
#include <memory>
#include <thread>
#include <vector>

#include "service/profiles.hpp"
#include "service/user_json.hpp"
#include "store/pg.hpp"
#include "store/redis.hpp"
#include "store/users.hpp"
#include "support/env.hpp"
#include "support/store_fixture.hpp"

using namespace testing_support;
using namespace std::chrono_literals;

namespace {

using Stack = StoreFixture;

// One simulated worker: its own Redis and PostgreSQL connections, as after fork.
struct Worker {
    store::Redis redis;
    store::Pg pg;
    store::UserStore users{pg};
    service::Profiles profiles;

    Worker(const std::string& db_url, const std::string& prefix, service::FillLockTimes times)
        : redis(require_env("TEST_REDIS_URL")), pg(db_url),
          profiles(users, redis, prefix, 60, true, times) {}
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(stampede, Stack)

BOOST_AUTO_TEST_CASE(many_concurrent_misses_of_one_profile_read_postgres_about_once) {
    constexpr int kWorkers = 24;
    const int64_t id = add_user("hot", "Hot Profile");
    std::vector<std::unique_ptr<Worker>> workers;
    for (int i = 0; i < kWorkers; ++i) {
        workers.push_back(std::make_unique<Worker>(db.url(), prefix,
                                                   service::FillLockTimes{2000ms, 1500ms}));
        // Connect and prepare now, so that only the reads under test are counted below.
        workers.back()->users.find_by_id(-1);
        workers.back()->redis.command({"PING"});
    }
    uint64_t before = 0;
    for (auto& w : workers) before += w->pg.queries();

    std::latch start(kWorkers);
    std::atomic<int> correct{0};
    std::vector<std::thread> threads;
    for (auto& w : workers) {
        threads.emplace_back([&, worker = w.get()] {
            start.arrive_and_wait();  // every worker misses at the same moment
            auto user = worker->profiles.get(id);
            if (user && user->display_name == "Hot Profile") ++correct;
        });
    }
    for (auto& t : threads) t.join();

    uint64_t after = 0;
    for (auto& w : workers) after += w->pg.queries();
    BOOST_TEST(correct.load() == kWorkers);
    // One refill, give or take a waiter whose bounded wait ran out on a loaded 2-core machine;
    // without the lock every one of the 24 workers would read PostgreSQL.
    BOOST_TEST(after - before <= static_cast<uint64_t>(kWorkers / 4),
               (after - before) << " PostgreSQL reads for one profile");
    BOOST_TEST(after - before >= 1u);
    // The lock is released after the refill.
    BOOST_TEST(redis.command({"EXISTS", keys.profile_fill_lock(id)}).integer().value_or(-1) == 0);
}

BOOST_AUTO_TEST_CASE(a_waiter_reads_postgres_itself_when_the_refill_never_comes) {
    const int64_t id = add_user("stuck", "Stuck Refill");
    service::Profiles profiles(users, redis, prefix, 60, true, {2000ms, 100ms});
    // Another worker took the lock and died before filling the cache.
    redis.command({"SET", keys.profile_fill_lock(id), "1", "PX", "5000"});
    const uint64_t before = pg.queries();
    auto user = profiles.get(id);
    BOOST_REQUIRE(user.has_value());
    BOOST_TEST(user->display_name == "Stuck Refill");
    BOOST_TEST(pg.queries() == before + 1);
    // Someone else's lock is left alone; it expires by itself.
    BOOST_TEST(redis.command({"EXISTS", keys.profile_fill_lock(id)}).integer().value_or(-1) == 1);
}

BOOST_AUTO_TEST_CASE(a_waiter_takes_the_refilled_copy_without_reading_postgres) {
    const int64_t id = add_user("filled", "Filled By Other");
    service::Profiles waiter(users, redis, prefix, 60, true, {2000ms, 2000ms});
    const std::string text = service::user_to_cache_text(*users.find_by_id(id));
    // Another worker holds the lock; it fills the cache and releases the lock a moment later.
    redis.command({"SET", keys.profile_fill_lock(id), "1", "PX", "5000"});
    std::thread holder([&] {
        std::this_thread::sleep_for(100ms);
        store::Redis own(require_env("TEST_REDIS_URL"));
        own.pipeline({{"SET", keys.profile(id), text, "EX", "60", "NX"},
                      {"DEL", keys.profile_fill_lock(id)}});
    });
    const uint64_t before = pg.queries();
    auto user = waiter.get(id);
    holder.join();
    BOOST_REQUIRE(user.has_value());
    BOOST_TEST(user->display_name == "Filled By Other");
    BOOST_TEST(pg.queries() == before);  // the waiter never read PostgreSQL
}

BOOST_AUTO_TEST_SUITE_END()
