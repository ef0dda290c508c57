#define BOOST_TEST_MODULE unit_config
#include <boost/test/unit_test.hpp>
#include <sched.h>

// Covers config: app::config_from_env defaults, every override, profile rules and rejected values.

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "config.hpp"

namespace {

using Env = std::map<std::string, std::string>;

// A server key of the smallest accepted size.
const std::string kKey(32, 'k');

app::Config load(const Env& env) {
    return app::config_from_env([&env](const char* name) -> std::optional<std::string> {
        auto it = env.find(name);
        if (it == env.end()) return std::nullopt;
        return it->second;
    });
}

// The what() of the std::invalid_argument that loading env throws, or "<no invalid_argument>".
std::string rejection_of(const Env& env) {
    try {
        load(env);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "<no invalid_argument>";
}

// The CPUs this process may run on, as nproc counts them.
int usable_cpus() {
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    BOOST_REQUIRE(sched_getaffinity(0, sizeof cpus, &cpus) == 0);
    return CPU_COUNT(&cpus);
}

}  // namespace

BOOST_AUTO_TEST_CASE(empty_environment_gives_the_defaults) {
    const auto c = load({});
    BOOST_TEST(c.socket == "var/run/app.sock");
    BOOST_TEST(c.workers == app::kWorkersPerCore * usable_cpus());
    BOOST_TEST(c.backlog == 8192);
    BOOST_TEST(c.database_url == "postgresql://login_app@127.0.0.1:5433/login");
    BOOST_TEST(c.redis_url == "redis://127.0.0.1:6380/0");
    BOOST_TEST(c.key_prefix == "login:");
    BOOST_TEST(!c.production);
    BOOST_TEST(!c.cookie_secure);
    BOOST_TEST(c.session_idle_seconds == 1800);
    BOOST_TEST(c.session_absolute_seconds == 43200);
    BOOST_TEST(c.profile_cache);
    BOOST_TEST(c.profile_cache_ttl_seconds == 300);
    BOOST_TEST(c.scrypt.N == 16384u);
    BOOST_TEST(c.scrypt.r == 8u);
    BOOST_TEST(c.scrypt.p == 5u);  // OWASP's minimum at 16 MiB: N=2^14, r=8, p=5
    BOOST_TEST(c.max_body_bytes == 16u * 1024u);
    BOOST_TEST(c.log_level == "info");
}

BOOST_AUTO_TEST_CASE(empty_values_count_as_unset) {
    const auto c = load({{"LOGIN_PROFILE", ""}, {"LOGIN_WORKERS", ""}, {"LOGIN_SOCKET", ""},
                         {"LOGIN_COOKIE_SECURE", ""}, {"LOGIN_LOG_LEVEL", ""}});
    BOOST_TEST(!c.production);
    BOOST_TEST(c.workers == app::default_workers());
    BOOST_TEST(c.socket == "var/run/app.sock");
    BOOST_TEST(!c.cookie_secure);
    BOOST_TEST(c.log_level == "info");
}

BOOST_AUTO_TEST_CASE(development_profile_has_insecure_cookies) {
    const auto c = load({{"LOGIN_PROFILE", "development"}});
    BOOST_TEST(!c.production);
    BOOST_TEST(!c.cookie_secure);
}

BOOST_AUTO_TEST_CASE(production_profile_turns_secure_cookies_on) {
    const auto c = load({{"LOGIN_PROFILE", "production"}, {"LOGIN_SECRET_KEY", kKey}});
    BOOST_TEST(c.production);
    BOOST_TEST(c.cookie_secure);
}

BOOST_AUTO_TEST_CASE(production_profile_secure_cookies_can_be_turned_off) {
    const auto c = load({{"LOGIN_PROFILE", "production"},
                         {"LOGIN_SECRET_KEY", kKey},
                         {"LOGIN_COOKIE_SECURE", "off"}});
    BOOST_TEST(c.production);
    BOOST_TEST(!c.cookie_secure);
}

BOOST_AUTO_TEST_CASE(development_profile_secure_cookies_can_be_turned_on) {
    BOOST_TEST(load({{"LOGIN_COOKIE_SECURE", "on"}}).cookie_secure);
}

BOOST_AUTO_TEST_CASE(each_override_is_parsed) {
    const auto c = load({
        {"LOGIN_SOCKET", ":9000"},
        {"LOGIN_WORKERS", "12"},
        {"LOGIN_BACKLOG", "1024"},
        {"LOGIN_WORKER_NICE", "10"},
        {"LOGIN_DATABASE_URL", "postgresql://u@db/x"},
        {"LOGIN_REDIS_URL", "redis://cache:6379/2"},
        {"LOGIN_KEY_PREFIX", "t1:"},
        {"LOGIN_SESSION_IDLE_SECONDS", "600"},
        {"LOGIN_SESSION_ABSOLUTE_SECONDS", "3600"},
        {"LOGIN_PROFILE_CACHE", "off"},
        {"LOGIN_PROFILE_CACHE_TTL_SECONDS", "60"},
        {"LOGIN_SCRYPT_N", "32768"},
        {"LOGIN_SCRYPT_R", "16"},
        {"LOGIN_SCRYPT_P", "2"},
        {"LOGIN_MAX_BODY_BYTES", "65536"},
        {"LOGIN_LOG_LEVEL", "debug"},
    });
    BOOST_TEST(c.socket == ":9000");
    BOOST_TEST(c.workers == 12);
    BOOST_TEST(c.backlog == 1024);
    BOOST_TEST(c.worker_nice == 10);
    BOOST_TEST(c.database_url == "postgresql://u@db/x");
    BOOST_TEST(c.redis_url == "redis://cache:6379/2");
    BOOST_TEST(c.key_prefix == "t1:");
    BOOST_TEST(c.session_idle_seconds == 600);
    BOOST_TEST(c.session_absolute_seconds == 3600);
    BOOST_TEST(!c.profile_cache);
    BOOST_TEST(c.profile_cache_ttl_seconds == 60);
    BOOST_TEST(c.scrypt.N == 32768u);
    BOOST_TEST(c.scrypt.r == 16u);
    BOOST_TEST(c.scrypt.p == 2u);
    BOOST_TEST(c.max_body_bytes == 65536u);
    BOOST_TEST(c.log_level == "debug");
}

BOOST_AUTO_TEST_CASE(integer_settings_accept_their_bounds) {
    const auto low = load({{"LOGIN_WORKERS", "1"}, {"LOGIN_SCRYPT_N", "1024"},
                           {"LOGIN_SCRYPT_R", "1"}, {"LOGIN_SCRYPT_P", "1"},
                           {"LOGIN_SESSION_IDLE_SECONDS", "60"},
                           {"LOGIN_SESSION_ABSOLUTE_SECONDS", "60"},
                           {"LOGIN_MAX_BODY_BYTES", "1024"}, {"LOGIN_BACKLOG", "16"}});
    BOOST_TEST(low.workers == 1);
    BOOST_TEST(low.scrypt.N == 1024u);
    BOOST_TEST(low.session_idle_seconds == 60);
    BOOST_TEST(low.backlog == 16);
    // 128 * r * N = 1 GiB exactly: the largest hash memory allowed.
    const auto high = load({{"LOGIN_WORKERS", "256"}, {"LOGIN_SCRYPT_N", "1048576"},
                            {"LOGIN_SCRYPT_R", "8"}, {"LOGIN_SCRYPT_P", "16"},
                            {"LOGIN_MAX_BODY_BYTES", "1048576"}, {"LOGIN_BACKLOG", "65535"}});
    BOOST_TEST(high.workers == 256);
    BOOST_TEST(high.scrypt.N == 1048576u);
    BOOST_TEST(high.scrypt.r == 8u);
    BOOST_TEST(high.scrypt.p == 16u);
    BOOST_TEST(high.max_body_bytes == 1048576u);
    BOOST_TEST(high.backlog == 65535);
}

BOOST_AUTO_TEST_CASE(scrypt_parameters_needing_more_than_1_gib_per_hash_are_refused) {
    BOOST_CHECK_THROW(load({{"LOGIN_SCRYPT_N", "1048576"}, {"LOGIN_SCRYPT_R", "9"}}),
                      std::invalid_argument);
    BOOST_CHECK_THROW(load({{"LOGIN_SCRYPT_N", "524288"}, {"LOGIN_SCRYPT_R", "32"}}),
                      std::invalid_argument);
    BOOST_TEST(load({{"LOGIN_SCRYPT_N", "262144"}, {"LOGIN_SCRYPT_R", "16"}}).scrypt.r == 16u);
}

BOOST_AUTO_TEST_CASE(booleans_accept_the_documented_spellings_in_any_case) {
    const std::vector<std::pair<std::string, bool>> cases = {
        {"1", true},  {"true", true},   {"on", true},  {"yes", true},  {"TRUE", true},
        {"On", true}, {"0", false},     {"false", false}, {"off", false}, {"no", false},
        {"OFF", false}, {"No", false},
    };
    for (const auto& [value, expected] : cases) {
        BOOST_TEST_CONTEXT("LOGIN_PROFILE_CACHE=" << value) {
            BOOST_TEST(load({{"LOGIN_PROFILE_CACHE", value}}).profile_cache == expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(idle_equal_to_absolute_is_accepted) {
    const auto c = load({{"LOGIN_SESSION_IDLE_SECONDS", "3600"},
                         {"LOGIN_SESSION_ABSOLUTE_SECONDS", "3600"}});
    BOOST_TEST(c.session_idle_seconds == c.session_absolute_seconds);
}

BOOST_AUTO_TEST_CASE(invalid_values_throw_invalid_argument_naming_the_variable) {
    struct Case {
        Env env;
        std::string variable;
    };
    const std::vector<Case> cases = {
        {{{"LOGIN_WORKERS", "four"}}, "LOGIN_WORKERS"},
        {{{"LOGIN_WORKERS", "0"}}, "LOGIN_WORKERS"},
        {{{"LOGIN_WORKERS", "257"}}, "LOGIN_WORKERS"},
        {{{"LOGIN_WORKERS", "-1"}}, "LOGIN_WORKERS"},
        {{{"LOGIN_WORKERS", "4 "}}, "LOGIN_WORKERS"},
        {{{"LOGIN_WORKERS", "99999999999999999999999"}}, "LOGIN_WORKERS"},
        {{{"LOGIN_BACKLOG", "15"}}, "LOGIN_BACKLOG"},
        {{{"LOGIN_WORKER_NICE", "20"}}, "LOGIN_WORKER_NICE"},
        {{{"LOGIN_SCRYPT_N", "1000"}}, "LOGIN_SCRYPT_N"},
        {{{"LOGIN_SCRYPT_N", "3072"}}, "LOGIN_SCRYPT_N"},     // not a power of two
        {{{"LOGIN_SCRYPT_N", "16385"}}, "LOGIN_SCRYPT_N"},
        {{{"LOGIN_SCRYPT_N", "512"}}, "LOGIN_SCRYPT_N"},      // below the minimum
        {{{"LOGIN_SCRYPT_N", "2097152"}}, "LOGIN_SCRYPT_N"},  // above the maximum
        {{{"LOGIN_SCRYPT_N", "16k"}}, "LOGIN_SCRYPT_N"},
        {{{"LOGIN_SCRYPT_R", "0"}}, "LOGIN_SCRYPT_R"},
        {{{"LOGIN_SCRYPT_R", "33"}}, "LOGIN_SCRYPT_R"},
        {{{"LOGIN_SCRYPT_P", "0"}}, "LOGIN_SCRYPT_P"},
        {{{"LOGIN_SCRYPT_P", "17"}}, "LOGIN_SCRYPT_P"},
        {{{"LOGIN_SESSION_IDLE_SECONDS", "59"}}, "LOGIN_SESSION_IDLE_SECONDS"},
        {{{"LOGIN_SESSION_IDLE_SECONDS", "43201"}}, "LOGIN_SESSION_IDLE_SECONDS"},  // > absolute
        {{{"LOGIN_SESSION_IDLE_SECONDS", "7200"}, {"LOGIN_SESSION_ABSOLUTE_SECONDS", "3600"}},
         "LOGIN_SESSION_IDLE_SECONDS"},
        {{{"LOGIN_SESSION_ABSOLUTE_SECONDS", "59"}}, "LOGIN_SESSION_ABSOLUTE_SECONDS"},
        {{{"LOGIN_SESSION_ABSOLUTE_SECONDS", "1799"}}, "LOGIN_SESSION_ABSOLUTE_SECONDS"},  // < idle
        {{{"LOGIN_SESSION_ABSOLUTE_SECONDS", "2592001"}}, "LOGIN_SESSION_ABSOLUTE_SECONDS"},
        {{{"LOGIN_PROFILE_CACHE_TTL_SECONDS", "0"}}, "LOGIN_PROFILE_CACHE_TTL_SECONDS"},
        {{{"LOGIN_MAX_BODY_BYTES", "1023"}}, "LOGIN_MAX_BODY_BYTES"},
        {{{"LOGIN_MAX_BODY_BYTES", "1048577"}}, "LOGIN_MAX_BODY_BYTES"},
        {{{"LOGIN_COOKIE_SECURE", "maybe"}}, "LOGIN_COOKIE_SECURE"},
        {{{"LOGIN_COOKIE_SECURE", "2"}}, "LOGIN_COOKIE_SECURE"},
        {{{"LOGIN_COOKIE_SECURE", " on"}}, "LOGIN_COOKIE_SECURE"},
        {{{"LOGIN_PROFILE_CACHE", "enabled"}}, "LOGIN_PROFILE_CACHE"},
        {{{"LOGIN_PROFILE", "staging"}}, "LOGIN_PROFILE"},
        {{{"LOGIN_PROFILE", "Production"}}, "LOGIN_PROFILE"},
        {{{"LOGIN_LOG_LEVEL", "verbose"}}, "LOGIN_LOG_LEVEL"},
        {{{"LOGIN_LOG_LEVEL", "INFO"}}, "LOGIN_LOG_LEVEL"},
        {{{"LOGIN_LOG_LEVEL", "warning"}}, "LOGIN_LOG_LEVEL"},
        {{{"LOGIN_REDIS_URL", "http://r"}}, "LOGIN_REDIS_URL"},
        {{{"LOGIN_SESSION_REDIS_URL", "redis://r:0"}}, "LOGIN_SESSION_REDIS_URL"},
        {{{"LOGIN_CACHE_REDIS_URL", "redis://pw@r"}}, "LOGIN_CACHE_REDIS_URL"},
        {{{"LOGIN_SESSION_REDIS_URL", "sentinel://s1"}}, "LOGIN_SESSION_REDIS_URL"},
        {{{"LOGIN_DATABASE_PASSWORD_FILE", "/nonexistent/secret"}}, "LOGIN_DATABASE_PASSWORD_FILE"},
        {{{"LOGIN_REDIS_PASSWORD", "a"}, {"LOGIN_REDIS_PASSWORD_FILE", "/etc/hostname"}},
         "LOGIN_REDIS_PASSWORD"},
    };
    for (const auto& c : cases) {
        std::string env_text;
        for (const auto& [k, v] : c.env) env_text += k + "='" + v + "' ";
        BOOST_TEST_CONTEXT(env_text) {
            BOOST_TEST(rejection_of(c.env).find(c.variable) != std::string::npos,
                       "what() is: " << rejection_of(c.env));
        }
    }
}

BOOST_AUTO_TEST_CASE(production_without_a_server_key_is_refused_naming_the_variable) {
    BOOST_TEST(rejection_of({{"LOGIN_PROFILE", "production"}}).find("LOGIN_SECRET_KEY_FILE") !=
               std::string::npos);
    BOOST_TEST(load({}).secret_key.empty());  // development: only `serve` insists (main.cpp)
}

BOOST_AUTO_TEST_CASE(the_server_key_comes_from_a_file_or_the_variable_and_never_both) {
    const std::string path =
        std::filesystem::temp_directory_path() / ("login-key-" + std::to_string(::getpid()));
    {
        std::ofstream file(path);
        file << std::string(40, 'f') << "\n";
    }
    BOOST_TEST(load({{"LOGIN_SECRET_KEY_FILE", path}}).secret_key == std::string(40, 'f'));
    BOOST_TEST(load({{"LOGIN_SECRET_KEY", kKey}}).secret_key == kKey);
    BOOST_TEST(load({{"LOGIN_SECRET_KEY", kKey}, {"LOGIN_SECRET_KEY_PREVIOUS_FILE", path}})
                   .previous_secret_key == std::string(40, 'f'));
    BOOST_TEST(rejection_of({{"LOGIN_SECRET_KEY", kKey}, {"LOGIN_SECRET_KEY_FILE", path}})
                   .find("not both") != std::string::npos);
    BOOST_TEST(rejection_of({{"LOGIN_SECRET_KEY", std::string(31, 'k')}}).find("32 bytes") !=
               std::string::npos);
    BOOST_TEST(rejection_of({{"LOGIN_SECRET_KEY_FILE", path + ".missing"}})
                   .find("LOGIN_SECRET_KEY_FILE") != std::string::npos);
    // The key itself never appears in a message.
    BOOST_TEST(rejection_of({{"LOGIN_SECRET_KEY", "short-secret"}}).find("short-secret") ==
               std::string::npos);
    std::filesystem::remove(path);
}

BOOST_AUTO_TEST_CASE(every_log_level_is_accepted) {
    for (const std::string level : {"debug", "info", "warn", "error"}) {
        BOOST_TEST_CONTEXT("level " << level) {
            BOOST_TEST(load({{"LOGIN_LOG_LEVEL", level}}).log_level == level);
        }
    }
}

BOOST_AUTO_TEST_CASE(session_and_cache_redis_default_to_the_redis_url) {
    const auto defaults = load({});
    BOOST_TEST(defaults.session_redis() == "redis://127.0.0.1:6380/0");
    BOOST_TEST(defaults.cache_redis() == "redis://127.0.0.1:6380/0");
    const auto one = load({{"LOGIN_REDIS_URL", "redis://r:6379/1"}});
    BOOST_TEST(one.session_redis() == "redis://r:6379/1");
    BOOST_TEST(one.cache_redis() == "redis://r:6379/1");
}

BOOST_AUTO_TEST_CASE(session_and_cache_redis_can_be_separate_servers) {
    const auto c = load({{"LOGIN_REDIS_URL", "redis://r:6379/0"},
                         {"LOGIN_SESSION_REDIS_URL", "unix:///run/sessions.sock"},
                         {"LOGIN_CACHE_REDIS_URL", "redis://cache:6379/0"}});
    BOOST_TEST(c.session_redis() == "unix:///run/sessions.sock");
    BOOST_TEST(c.cache_redis() == "redis://cache:6379/0");
    const auto only_cache = load({{"LOGIN_CACHE_REDIS_URL", "redis://cache:6379/0"}});
    BOOST_TEST(only_cache.session_redis() == "redis://127.0.0.1:6380/0");
}

BOOST_AUTO_TEST_CASE(read_pool_defaults_to_the_database_url_and_can_be_a_standby) {
    const auto defaults = load({{"LOGIN_DATABASE_URL", "postgresql://app@primary/login"}});
    BOOST_TEST(defaults.database_read() == "postgresql://app@primary/login");
    BOOST_TEST(defaults.read_your_writes_seconds == 2);
    const auto split = load(
        {{"LOGIN_DATABASE_URL", "postgresql://app@a,b/login?target_session_attrs=read-write"},
         {"LOGIN_DATABASE_READ_URL", "postgresql://app@a,b/login?target_session_attrs=prefer-standby"},
         {"LOGIN_READ_YOUR_WRITES_SECONDS", "5"}});
    BOOST_TEST(split.database_read() == "postgresql://app@a,b/login?target_session_attrs=prefer-standby");
    BOOST_TEST(split.read_your_writes_seconds == 5);
    BOOST_TEST(rejection_of({{"LOGIN_READ_YOUR_WRITES_SECONDS", "0"}}) ==
               "LOGIN_READ_YOUR_WRITES_SECONDS must be an integer from 1 to 60");
}

BOOST_AUTO_TEST_CASE(sessions_wait_for_no_replica_unless_asked) {
    const auto defaults = load({});
    BOOST_TEST(defaults.session_wait_replicas == 0);
    BOOST_TEST(defaults.session_wait_timeout_ms == 100);
    const auto c = load({{"LOGIN_SESSION_WAIT_REPLICAS", "1"}, {"LOGIN_SESSION_WAIT_TIMEOUT_MS", "250"}});
    BOOST_TEST(c.session_wait_replicas == 1);
    BOOST_TEST(c.session_wait_timeout_ms == 250);
    BOOST_TEST(rejection_of({{"LOGIN_SESSION_WAIT_TIMEOUT_MS", "0"}}) ==
               "LOGIN_SESSION_WAIT_TIMEOUT_MS must be an integer from 1 to 10000");
}

namespace {

// A file holding content, removed when the test ends.
struct SecretFile {
    std::string path;
    explicit SecretFile(const std::string& content)
        : path("/tmp/login-config-test-" + std::to_string(getpid()) + "-" +
               std::to_string(counter()++)) {
        std::ofstream(path, std::ios::binary) << content;
    }
    ~SecretFile() { std::remove(path.c_str()); }
    static int& counter() {
        static int n = 0;
        return n;
    }
};

}  // namespace

BOOST_AUTO_TEST_CASE(secrets_can_come_from_files_without_their_trailing_newline) {
    SecretFile db("db-secret\n"), session("session secret\r\n"), url("redis://:pw@cache:6379/1\n");
    const auto c = load({{"LOGIN_DATABASE_PASSWORD_FILE", db.path},
                         {"LOGIN_SESSION_REDIS_PASSWORD_FILE", session.path},
                         {"LOGIN_CACHE_REDIS_URL_FILE", url.path},
                         {"LOGIN_REDIS_PASSWORD", "shared"}});
    BOOST_TEST(c.database_password == "db-secret");
    BOOST_TEST(c.session_redis_auth() == "session secret");
    BOOST_TEST(c.cache_redis_auth() == "shared");  // the shared one, where no own is given
    BOOST_TEST(c.cache_redis() == "redis://:pw@cache:6379/1");
}

BOOST_AUTO_TEST_CASE(empty_or_multi_line_secret_files_are_refused) {
    SecretFile empty("\n"), two_lines("a\nb\n");
    BOOST_TEST(rejection_of({{"LOGIN_DATABASE_PASSWORD_FILE", empty.path}}) ==
               "LOGIN_DATABASE_PASSWORD_FILE: " + empty.path + " is empty");
    BOOST_TEST(rejection_of({{"LOGIN_DATABASE_PASSWORD_FILE", two_lines.path}}) ==
               "LOGIN_DATABASE_PASSWORD_FILE: " + two_lines.path + " must hold one line");
}
