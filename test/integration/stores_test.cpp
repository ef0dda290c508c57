// Sessions and the profile cache against a real Redis and PostgreSQL: a fresh database with
// the real schema and a fresh key prefix per run.
#define BOOST_TEST_MODULE integration_stores
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <set>
#include <sstream>

#include <thread>

#include "cli/cli.hpp"
#include "metrics/metrics.hpp"
#include "service/passwords.hpp"
#include "service/profiles.hpp"
#include "service/sessions.hpp"
#include "service/user_json.hpp"
#include "store/errors.hpp"
#include "store/redis.hpp"
#include "store/users.hpp"
#include "support/env.hpp"
#include "support/prometheus.hpp"
#include "support/store_fixture.hpp"
#include "support/test_db.hpp"

using namespace testing_support;

namespace {

using Stack = StoreFixture;

double redis_session_errors() {
    return parse_prometheus(metrics::render({})).value(
        R"(login_store_errors_total{store="redis_session"})");
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sessions, Stack)

BOOST_AUTO_TEST_CASE(created_session_is_found_and_stores_only_a_hash_of_the_id) {
    service::SessionStore store(redis, prefix, 60, 3600);
    const std::string id = store.create(42, 0);
    BOOST_TEST(id.size() == 43u);  // 32 random bytes, base64url
    auto s = store.touch(id);
    BOOST_REQUIRE(s.has_value());
    BOOST_TEST(s->user_id == 42);
    // The session, its entry for the session list, and the user's list: none names the id.
    const auto raw = redis.command({"KEYS", prefix + "*"}).strings();
    const std::set<std::string> found(raw.begin(), raw.end());
    const std::string pid = service::SessionStore::public_id(id);
    BOOST_TEST((found == std::set<std::string>{keys.session(pid), keys.session_meta(pid),
                                               keys.user_sessions(42)}));
    for (const auto& key : found) BOOST_TEST(key.find(id) == std::string::npos);
    BOOST_TEST(keys.session(pid) == prefix + "s:" + pid);  // the documented schema
}

BOOST_AUTO_TEST_CASE(the_session_list_shows_live_sessions_and_prunes_dead_ones) {
    service::SessionStore store(redis, prefix, 60, 3600);
    const std::string a = store.create(43, 0, {"203.0.113.0/24", "Agent A"});
    const std::string b = store.create(43, 0, {"198.51.100.0/24", "Agent B"});
    store.create(43, 0);
    store.create(44, 0);  // another user's
    redis.command({"DEL", keys.session(service::SessionStore::public_id(b))});  // expired meanwhile
    const auto list = store.list(43, 0, a);
    BOOST_TEST(list.size() == 2u);  // b is gone, and the other user's is not here
    BOOST_TEST(redis.command({"SCARD", keys.user_sessions(43)}).integer().value_or(-1) == 2);
    const auto listed = store.list(43, 1, a);  // generation 1: every session above is dead
    BOOST_TEST(listed.empty());
    BOOST_TEST(redis.command({"SCARD", keys.user_sessions(43)}).integer().value_or(-1) == 0);
}

BOOST_AUTO_TEST_CASE(listed_sessions_carry_their_origin_and_mark_the_current_one) {
    service::SessionStore store(redis, prefix, 60, 3600);
    const std::string a = store.create(45, 2, {"203.0.113.0/24", "Agent A"});
    const std::string b = store.create(45, 2, {"198.51.100.0/24", "Agent B"});
    const auto list = store.list(45, 2, b);
    BOOST_TEST_REQUIRE(list.size() == 2u);
    for (const auto& s : list) {
        BOOST_TEST(s.current == (s.id == service::SessionStore::public_id(b)));
        BOOST_TEST(s.last_seen_at >= s.created_at);
        BOOST_TEST((s.origin.user_agent == "Agent A" || s.origin.user_agent == "Agent B"));
    }
    BOOST_TEST(store.destroy_listed(45, service::SessionStore::public_id(a)));
    BOOST_TEST(!store.touch(a).has_value());
    BOOST_TEST(!store.destroy_listed(45, service::SessionStore::public_id(a)));
    BOOST_TEST(!store.destroy_listed(46, service::SessionStore::public_id(b)));  // not theirs
    BOOST_TEST(store.destroy_others(45, b) == 0u);
    BOOST_TEST(store.touch(b).has_value());
}

BOOST_AUTO_TEST_CASE(touch_slides_the_idle_timeout) {
    service::SessionStore store(redis, prefix, 100, 3600);
    const std::string id = store.create(7, 0);
    const std::string key = keys.session(service::SessionStore::public_id(id));
    redis.command({"EXPIRE", key, "5"});
    BOOST_REQUIRE(store.touch(id).has_value());
    BOOST_TEST(redis.command({"TTL", key}).integer().value_or(-1) > 90);
}

BOOST_AUTO_TEST_CASE(idle_session_expires) {
    service::SessionStore store(redis, prefix, 1, 3600);
    const std::string id = store.create(7, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    BOOST_TEST(!store.touch(id).has_value());
}

BOOST_AUTO_TEST_CASE(absolute_timeout_ends_a_busy_session) {
    // Touched every second, the idle timeout (3 s) alone would keep it alive forever; the
    // absolute one (4 s) ends it.
    service::SessionStore store(redis, prefix, 3, 4);
    const auto start = std::chrono::steady_clock::now();
    const std::string id = store.create(7, 0);
    for (int second = 1; second <= 2; ++second) {
        std::this_thread::sleep_until(start + std::chrono::seconds(second));
        BOOST_REQUIRE(store.touch(id).has_value());  // still inside both limits
    }
    std::this_thread::sleep_until(start + std::chrono::milliseconds(5100));
    BOOST_TEST(!store.touch(id).has_value());
}

BOOST_AUTO_TEST_CASE(destroyed_session_is_gone) {
    service::SessionStore store(redis, prefix, 60, 3600);
    const std::string id = store.create(9, 0);
    store.destroy(id);
    BOOST_TEST(!store.touch(id).has_value());
}

BOOST_AUTO_TEST_CASE(touch_with_reads_the_session_and_its_companion_in_one_call) {
    service::SessionStore store(redis, prefix, 60, 3600);
    const std::string id = store.create(77, 3);
    redis.command({"SET", keys.profile(77), "cached profile"});
    auto found = store.touch_with(id, keys.profile_prefix());
    BOOST_REQUIRE(found.has_value());
    BOOST_TEST(found->session.user_id == 77);
    BOOST_TEST(found->session.generation == 3);
    BOOST_TEST(found->companion.value_or("") == "cached profile");
    redis.command({"DEL", keys.profile(77)});
    found = store.touch_with(id, keys.profile_prefix());
    BOOST_REQUIRE(found.has_value());
    BOOST_TEST(!found->companion.has_value());
    store.destroy(id);
    BOOST_TEST(!store.touch_with(id, keys.profile_prefix()).has_value());
}

BOOST_AUTO_TEST_CASE(touch_with_survives_redis_forgetting_its_script) {
    service::SessionStore store(redis, prefix, 60, 3600);
    const std::string id = store.create(78, 0);
    BOOST_REQUIRE(store.touch_with(id, keys.profile_prefix()).has_value());  // loads the script
    redis.command({"SCRIPT", "FLUSH"});  // as after a Redis restart: NOSCRIPT on next EVALSHA
    BOOST_TEST(store.touch_with(id, keys.profile_prefix()).has_value());
}

// make bench makes its sessions with the program's own store, never a copy of the format.
BOOST_AUTO_TEST_CASE(bench_sessions_create_makes_sessions_the_store_accepts_and_end_ends_them) {
    app::Config config;
    config.redis_url = require_env("TEST_REDIS_URL");
    config.key_prefix = prefix;
    std::istringstream user_lines("81 4\n82 0\n");
    std::ostringstream made;
    BOOST_REQUIRE(cli::run_bench_sessions(config, {"create"}, user_lines, made) == 0);
    std::istringstream lines(made.str());
    std::vector<std::pair<std::string, std::string>> ids;
    for (std::string cookie, pid; lines >> cookie >> pid;) ids.emplace_back(cookie, pid);
    BOOST_REQUIRE(ids.size() == 2u);
    service::SessionStore store(redis, prefix, config.session_idle_seconds,
                                config.session_absolute_seconds);
    const auto first = store.touch(ids[0].first);
    BOOST_REQUIRE(first.has_value());
    BOOST_TEST(first->user_id == 81);
    BOOST_TEST(first->generation == 4);
    BOOST_TEST(ids[0].second == service::SessionStore::public_id(ids[0].first));
    BOOST_TEST(store.touch(ids[1].first)->user_id == 82);

    std::istringstream ends("81 " + ids[0].second + "\n82 " + ids[1].second + "\n");
    std::ostringstream none;
    BOOST_REQUIRE(cli::run_bench_sessions(config, {"end"}, ends, none) == 0);
    BOOST_TEST(!store.touch(ids[0].first).has_value());
    BOOST_TEST(!store.touch(ids[1].first).has_value());
    BOOST_TEST(store.list(81, 4, "").empty());

    config.production = true;
    std::istringstream again("81 4\n");
    BOOST_TEST(cli::run_bench_sessions(config, {"create"}, again, made) == 1);
}

BOOST_AUTO_TEST_CASE(garbage_ids_are_not_sessions) {
    service::SessionStore store(redis, prefix, 60, 3600);
    for (const std::string& bad : std::vector<std::string>{"", "abc", std::string(43, '!'), std::string(500, 'a')})
        BOOST_TEST(!store.touch(bad).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(redis_connection, Stack)

// The workers check no idle connection before using it: a connection the server closed in the
// meantime (here CLIENT KILL, as a restart or an idle timeout would) fails on first use and is
// replaced within the same call, over TCP (a read finds EOF) and over the unix socket the
// workers use (the write fails with EPIPE).
BOOST_AUTO_TEST_CASE(a_connection_the_server_closed_while_idle_is_replaced_within_the_call) {
    const std::vector<std::string> urls{
        require_env("TEST_REDIS_URL"),
        "unix://" + require_env("TEST_STACK_DIR") + "/run/redis.sock"};
    std::signal(SIGPIPE, SIG_IGN);  // as login-fcgi's main does
    for (const auto& url : urls) {
        BOOST_TEST_CONTEXT(url) {
            store::Redis kept(url);
            const int64_t id = kept.command({"CLIENT", "ID"}).integer().value_or(-1);
            const std::string id_text = std::to_string(id);
            BOOST_TEST(redis.command({"CLIENT", "KILL", "ID", id_text}).integer().value_or(-1) ==
                       1);
            const double errors_before = redis_session_errors();
            store::Reply pong;
            BOOST_REQUIRE_NO_THROW(pong = kept.command({"PING"}));
            BOOST_TEST(pong.string().value_or("") == "PONG");
            BOOST_TEST(kept.command({"CLIENT", "ID"}).integer().value_or(id) != id);  // a new one
            BOOST_TEST(redis_session_errors() == errors_before);
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(profile_cache, Stack)

BOOST_AUTO_TEST_CASE(miss_reads_postgres_then_hit_needs_no_query) {
    const int64_t id = add_user("alice", "Alice");
    service::Profiles profiles(users, redis, prefix, 60, true);
    const uint64_t before = pg.queries();
    auto first = profiles.get(id);
    BOOST_REQUIRE(first.has_value());
    BOOST_TEST(first->display_name == "Alice");
    BOOST_TEST(pg.queries() == before + 1);
    auto second = profiles.get(id);
    BOOST_REQUIRE(second.has_value());
    BOOST_TEST(second->display_name == "Alice");
    BOOST_TEST(second->email.value_or("") == "alice@example.com");
    BOOST_TEST(pg.queries() == before + 1);  // served from Redis
    const int64_t ttl = redis.command({"TTL", keys.profile(id)}).integer().value_or(-1);
    BOOST_TEST(ttl > 0);
    BOOST_TEST(ttl <= 60);
}

BOOST_AUTO_TEST_CASE(update_commits_then_invalidates_so_next_read_is_fresh) {
    const int64_t id = add_user("bob", "Bob");
    service::Profiles profiles(users, redis, prefix, 60, true);
    BOOST_REQUIRE(profiles.get(id).has_value());  // warm the cache
    model::UserChange change;
    change.display_name = "Robert";
    auto updated = profiles.update(id, change);
    BOOST_REQUIRE(updated.has_value());
    BOOST_TEST(updated->display_name == "Robert");
    // The cached copy is replaced by a short tombstone, not a profile.
    BOOST_TEST(redis.command({"GET", keys.profile(id)}).string().value_or("") == "-");
    BOOST_TEST(profiles.get(id)->display_name == "Robert");
}

BOOST_AUTO_TEST_CASE(a_copy_read_before_an_update_cannot_be_cached_after_it) {
    // The interleaving: reader A misses the cache and reads the row; writer B commits and
    // invalidates; only then does A try to cache what it read. A's copy must not stick.
    const int64_t id = add_user("ivan", "Ivan");
    service::Profiles profiles(users, redis, prefix, 60, true);
    const auto stale = users.find_by_id(id);  // A reads the old row
    model::UserChange change;
    change.display_name = "Ivan the Second";
    profiles.update(id, change);  // B writes and invalidates
    // A fills the cache the way Profiles::get does, with SET NX: it must lose to the tombstone.
    auto fill = redis.command(
        {"SET", keys.profile(id), service::user_to_cache_text(*stale), "EX", "60", "NX"});
    BOOST_TEST(fill.is_nil());
    BOOST_TEST(profiles.get(id)->display_name == "Ivan the Second");
}

BOOST_AUTO_TEST_CASE(cache_switched_off_queries_every_time) {
    const int64_t id = add_user("carol", "Carol");
    service::Profiles profiles(users, redis, prefix, 60, false);
    const uint64_t before = pg.queries();
    profiles.get(id);
    profiles.get(id);
    BOOST_TEST(pg.queries() == before + 2);
}

BOOST_AUTO_TEST_CASE(unknown_user_is_empty_not_an_error) {
    service::Profiles profiles(users, redis, prefix, 60, true);
    BOOST_TEST(!profiles.get(987654321).has_value());
}

BOOST_AUTO_TEST_CASE(unreachable_cache_falls_back_to_postgres) {
    const int64_t id = add_user("dave", "Dave");
    store::Redis dead("redis://127.0.0.1:1/0");
    service::Profiles profiles(users, dead, prefix, 60, true);
    auto user = profiles.get(id);
    BOOST_REQUIRE(user.has_value());
    BOOST_TEST(user->display_name == "Dave");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(prepared_statements, Stack)

BOOST_AUTO_TEST_CASE(credentials_lookup_takes_the_canonical_name_and_folds_nothing) {
    const int64_t id = add_user("erin", "Erin");
    pg.exec_sql("UPDATE users SET roles = '{admin,user}' WHERE id = " + std::to_string(id));
    // PostgreSQL's lower() would fold U+0130 (İ) to i and the Kelvin sign to k: the store must
    // never apply it to what a client typed. Canonicalising is service::canonical_username's job.
    BOOST_TEST(!users.find_credentials("er\u0130n").has_value());
    BOOST_TEST(!users.find_credentials("ERIN").has_value());
    auto creds = users.find_credentials("erin");
    BOOST_REQUIRE(creds.has_value());
    BOOST_TEST(creds->id == id);
    BOOST_TEST(creds->enabled);
    auto user = users.find_by_id(id);
    BOOST_REQUIRE(user.has_value());
    BOOST_TEST(user->roles == (std::vector<std::string>{"admin", "user"}));
    BOOST_TEST(user->created_at.size() == 20u);  // 2026-11-30T08:00:00Z
    BOOST_TEST(user->created_at.back() == 'Z');
    BOOST_TEST(!user->last_login_at.has_value());
}

BOOST_AUTO_TEST_CASE(parameters_are_data_never_sql) {
    add_user("frank", "Frank");
    BOOST_TEST(!users.find_credentials("frank' OR '1'='1").has_value());
    auto count = pg.exec_sql("SELECT count(*) FROM users");
    BOOST_TEST(*store::pg_value(count.get(), 0, 0) == "1");
}

BOOST_AUTO_TEST_CASE(record_login_stamps_time_and_replaces_hash) {
    const int64_t id = add_user("gina", "Gina");
    users.record_login(id, std::string("$s1$new"));
    auto creds = users.find_credentials("gina");
    BOOST_TEST(creds->password_hash == "$s1$new");
    BOOST_TEST(users.find_by_id(id)->last_login_at.has_value());
    users.record_login(id, std::nullopt);  // no rehash: hash kept
    BOOST_TEST(users.find_credentials("gina")->password_hash == "$s1$new");
}

BOOST_AUTO_TEST_CASE(update_profile_can_clear_email) {
    const int64_t id = add_user("hank", "Hank");
    model::UserChange change;
    change.email = std::optional<std::string>{};
    auto updated = users.update(id, change);
    BOOST_REQUIRE(updated.has_value());
    BOOST_TEST(!updated->email.has_value());
    BOOST_TEST(updated->display_name == "Hank");
}

BOOST_AUTO_TEST_CASE(unreachable_database_raises_pg_error) {
    store::Pg dead("postgresql://postgres@127.0.0.1:1/none");
    store::UserStore dead_users(dead);
    BOOST_CHECK_THROW(dead_users.find_by_id(1), store::PgError);
    try {
        dead_users.find_by_id(1);
    } catch (const store::Error& e) {
        BOOST_TEST((e.kind() == store::ErrorKind::unavailable));  // 503 with Retry-After
    }
}

// The kind of a failed statement comes from the SQLSTATE the real server sends: a value it
// cannot represent is the client's (400), a second row with the same unique key a conflict.
BOOST_AUTO_TEST_CASE(a_failed_statement_says_what_the_caller_can_do) {
    store::Pg own(db.url());
    own.define("itest_as_integer", "SELECT $1::integer");
    own.define("itest_add_user",
               "INSERT INTO users (username, display_name, email, password_hash, roles) "
               "VALUES ($1, 'x', NULL, 'x', '{user}')");
    auto kind_of = [&](const std::string& statement, const std::string& value) {
        try {
            own.exec(statement, {value});
        } catch (const store::Error& e) {
            return e.kind();
        }
        BOOST_FAIL(statement << " " << value << " did not fail");
        return store::ErrorKind::unavailable;
    };
    BOOST_TEST((kind_of("itest_as_integer", "99999999999") == store::ErrorKind::bad_value));
    BOOST_TEST((kind_of("itest_as_integer", "twelve") == store::ErrorKind::bad_value));
    own.exec("itest_add_user", {"quinn"});
    BOOST_TEST((kind_of("itest_add_user", "quinn") == store::ErrorKind::conflict));
    BOOST_TEST(own.exec("itest_as_integer", {"12"}) != nullptr);  // the connection lives on
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(scale_out, Stack)

// A second connection stands in for a standby: the routing is what is checked here (the
// multi-host tests run a real standby).
BOOST_AUTO_TEST_CASE(fills_read_the_read_pool_and_reads_right_after_a_write_go_to_the_primary) {
    const int64_t id = add_user("rita", "Rita");
    store::Pg read_pool{db.url()};
    store::UserStore split{pg, read_pool};
    service::Profiles profiles(split, redis, prefix, 60, true, {}, 2);
    const uint64_t primary_before = pg.queries();  // add_user's insert

    auto cold = profiles.get(id);
    BOOST_REQUIRE(cold.has_value());
    BOOST_TEST(read_pool.queries() == 1u);
    BOOST_TEST(pg.queries() == primary_before);

    model::UserChange change;
    change.display_name = "Rita R.";
    profiles.update(id, change);
    BOOST_TEST(pg.queries() == primary_before + 1);  // the write
    auto fresh = profiles.get(id);
    BOOST_REQUIRE(fresh.has_value());
    BOOST_TEST(fresh->display_name == "Rita R.");
    BOOST_TEST(pg.queries() == primary_before + 2);  // from the primary while the tombstone lives
    BOOST_TEST(read_pool.queries() == 1u);
    const int64_t ttl = redis.command({"TTL", keys.profile(id)}).integer().value_or(-1);
    BOOST_TEST(ttl > 0);
    BOOST_TEST(ttl <= 2);
}

BOOST_AUTO_TEST_CASE(a_primary_as_read_pool_is_always_current_and_reports_missing_users) {
    const int64_t id = add_user("sam", "Sam");
    auto found = users.find_by_id_from_read_pool(id);
    BOOST_TEST(found.current);
    BOOST_REQUIRE(found.user.has_value());
    BOOST_TEST(found.user->username == "sam");
    auto missing = users.find_by_id_from_read_pool(id + 1000);
    BOOST_TEST(missing.current);
    BOOST_TEST(!missing.user.has_value());
}

BOOST_AUTO_TEST_CASE(a_session_nobody_replicates_is_kept_and_counted) {
    // The test Redis has no replica, so WAIT 1 times out with 0 acknowledgements.
    service::SessionStore store(redis, prefix, 600, 3600, {1, 20});
    const std::string before = metrics::render({});
    const std::string id = store.create(44, 0);
    BOOST_TEST(store.touch(id).has_value());
    const std::string after = metrics::render({});
    BOOST_TEST(before.find("login_sessions_unreplicated_total 0\n") != std::string::npos);
    BOOST_TEST(after.find("login_sessions_unreplicated_total 1\n") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
