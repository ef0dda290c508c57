#define BOOST_TEST_MODULE unit_config_check
#include <boost/test/unit_test.hpp>
// Covers fail-fast configuration through the real binary: every command parses every setting
// before it forks or connects, and a bad value stops it with exit code 2 and a message naming
// the variable; `login-fcgi config check` prints the effective settings with secrets masked.

#include <unistd.h>

#include <string>
#include <vector>

#include "config_check.hpp"
#include "support/command.hpp"
#include "support/env.hpp"

using testing_support::run_command;
using testing_support::shell_quote;

namespace {

struct Bad {
    const char* name;
    const char* value;
    const char* says;  // a piece of the message
};

// Each row alone makes the configuration invalid.
const std::vector<Bad> kBad = {
    {"LOGIN_DATABASE_URL", "postgresql://db:notaport/login",
     "LOGIN_DATABASE_URL: port 'notaport' is not a number"},
    {"LOGIN_DATABASE_URL", "postgresql://a:5432,b:x/login",
     "LOGIN_DATABASE_URL: port 'x' is not a number"},
    {"LOGIN_DATABASE_URL", "host=db port", "LOGIN_DATABASE_URL is not a libpq connection URL"},
    {"LOGIN_DATABASE_URL", "postgresql://db/login?nosuchoption=1",
     "LOGIN_DATABASE_URL is not a libpq connection URL"},
    {"LOGIN_DATABASE_READ_URL", "postgres://[::1/login",
     "LOGIN_DATABASE_READ_URL is not a libpq connection URL"},
    {"LOGIN_REDIS_URL", "http://cache:6379", "LOGIN_REDIS_URL: redis url must start with redis://"},
    {"LOGIN_REDIS_URL", "redis://cache:99999/0", "LOGIN_REDIS_URL: bad port in redis url"},
    {"LOGIN_SESSION_REDIS_URL", "redis://sessions:6379/x",
     "LOGIN_SESSION_REDIS_URL: bad database number"},
    {"LOGIN_SESSION_REDIS_URL", "sentinel://s1:26379",
     "LOGIN_SESSION_REDIS_URL: sentinel url needs /master-name"},
    {"LOGIN_CACHE_REDIS_URL", "sentinel:///sessions",
     "LOGIN_CACHE_REDIS_URL: sentinel url names no sentinel"},
    {"LOGIN_SOCKET", "127.0.0.1:0", "LOGIN_SOCKET"},
    {"LOGIN_SOCKET", ":http", "LOGIN_SOCKET"},
    {"LOGIN_WORKERS", "many", "LOGIN_WORKERS must be an integer from 1 to 256"},
    {"LOGIN_WORKERS", "0", "LOGIN_WORKERS must be an integer from 1 to 256"},
    {"LOGIN_WORKERS", "-3", "LOGIN_WORKERS must be an integer from 1 to 256"},
    {"LOGIN_BACKLOG", "99999999999999999999", "LOGIN_BACKLOG must be an integer"},
    {"LOGIN_SCRYPT_N", "3000", "LOGIN_SCRYPT_N must be a power of two"},
    {"LOGIN_SCRYPT_N", "1000", "LOGIN_SCRYPT_N must be an integer from 1024"},
    {"LOGIN_PROFILE", "prod", "LOGIN_PROFILE must be development or production"},
    {"LOGIN_COOKIE_SECURE", "maybe", "LOGIN_COOKIE_SECURE must be on or off"},
    {"LOGIN_LOG_LEVEL", "loud", "LOGIN_LOG_LEVEL must be debug, info, warn or error"},
    {"LOGIN_SESSION_IDLE_SECONDS", "86400", "LOGIN_SESSION_IDLE_SECONDS must not exceed"},
    {"LOGIN_KEY_PREFIX", "login: x", "LOGIN_KEY_PREFIX"},
    {"LOGIN_RATE_LOGIN_ACCOUNT_PER_HOUR", "100",
     "LOGIN_RATE_LOGIN_ACCOUNT_PER_HOUR must be an integer"},
    {"LOGIN_SECRET_KEY", "too-short-to-sign", "LOGIN_SECRET_KEY(_FILE) must hold at least 32 bytes"},
    {"LOGIN_SECRET_KEY_FILE", "/nonexistent/secret.key",
     "LOGIN_SECRET_KEY_FILE: cannot read /nonexistent/secret.key"},
    {"LOGIN_RATE_LOGIN_DEVICE_FREE_FAILURES", "95",
     "LOGIN_RATE_LOGIN_DEVICE_FREE_FAILURES must be below LOGIN_RATE_LOGIN_DEVICE_PER_HOUR"},
};

constexpr const char* kKey = "LOGIN_SECRET_KEY=config-check-test-key-0123456789abcdef";

// Runs the binary with one extra variable (and nothing else of the caller's LOGIN_* settings).
testing_support::CommandResult run_with(const std::string& assignment, const std::string& args) {
    return run_command("env -i PATH=/usr/bin:/bin " + assignment + " " +
                       shell_quote(LOGIN_BIN_PATH) + " " + args);
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_bad_value_stops_every_command_before_it_forks_naming_the_variable) {
    for (const auto& bad : kBad) {
        const std::string assignment = std::string(bad.name) + "=" + shell_quote(bad.value);
        // serve would open the socket and fork; config check would print; client would connect.
        for (const char* command : {"serve", "config check", "client list", "worker"}) {
            BOOST_TEST_CONTEXT(assignment << " " << command) {
                const auto r = run_with(assignment, command);
                BOOST_TEST(r.exit_code == 2, r.output);
                BOOST_TEST(r.output.find("configuration error: ") != std::string::npos, r.output);
                BOOST_TEST(r.output.find(bad.says) != std::string::npos, r.output);
                BOOST_TEST(r.output.find("worker_started") == std::string::npos, r.output);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(serve_with_a_bad_url_creates_no_socket) {
    const std::string path = "/tmp/login-config-" + testing_support::random_suffix() + ".sock";
    const auto r = run_with("LOGIN_SOCKET=" + path + " LOGIN_REDIS_URL=redis://h:99999/0", "serve");
    BOOST_TEST(r.exit_code == 2, r.output);
    BOOST_TEST(access(path.c_str(), F_OK) != 0);
}

BOOST_AUTO_TEST_CASE(production_without_the_server_key_stops_every_command) {
    for (const char* command : {"serve", "config check", "client list", "worker"}) {
        BOOST_TEST_CONTEXT(command) {
            const auto r = run_with("LOGIN_PROFILE=production", command);
            BOOST_TEST(r.exit_code == 2, r.output);
            BOOST_TEST(r.output.find("configuration error: LOGIN_SECRET_KEY_FILE (or "
                                     "LOGIN_SECRET_KEY) is required in production") !=
                           std::string::npos,
                       r.output);
        }
    }
}

BOOST_AUTO_TEST_CASE(serving_without_the_server_key_fails_the_check_in_development_too) {
    // Every worker must sign with the same key; the operator commands need none.
    for (const char* command : {"serve", "worker", "config check"}) {
        BOOST_TEST_CONTEXT(command) {
            const auto r = run_with("LOGIN_PROFILE=development", command);
            BOOST_TEST(r.exit_code == 2, r.output);
            BOOST_TEST(r.output.find("configuration error: LOGIN_SECRET_KEY_FILE (or "
                                     "LOGIN_SECRET_KEY) is not set") != std::string::npos,
                       r.output);
            BOOST_TEST(r.output.find("worker_started") == std::string::npos, r.output);
        }
    }
    const auto r = run_with(std::string("LOGIN_PROFILE=development ") + kKey, "config check");
    BOOST_TEST(r.exit_code == 0, r.output);
    BOOST_TEST(r.output.find("LOGIN_SECRET_KEY=***\n") != std::string::npos, r.output);
    BOOST_TEST(r.output.find("LOGIN_SECRET_KEY_PREVIOUS=(none)\n") != std::string::npos, r.output);
}

BOOST_AUTO_TEST_CASE(config_check_prints_the_effective_settings_with_secrets_masked) {
    const auto r = run_with(
        "LOGIN_PROFILE=production "
        "LOGIN_SECRET_KEY=s3cret-server-key-0123456789abcdefghijklmnop "
        "LOGIN_DATABASE_URL='postgresql://login_app:s3cret-pg@db:5432/login?sslmode=require' "
        "LOGIN_DATABASE_READ_URL='host=standby user=login_app password=s3cret-kv dbname=login' "
        "LOGIN_SESSION_REDIS_URL='redis://:s3cret-redis@sessions:6379/0' "
        "LOGIN_SMTP_URL='smtp://mailer:s3cret-smtp@relay:587' LOGIN_SMTP_PASSWORD=s3cret-auth "
        "LOGIN_WORKERS=3",
        "config check");
    BOOST_TEST(r.exit_code == 0, r.output);
    BOOST_TEST(r.output.find("s3cret") == std::string::npos, r.output);
    for (const char* line :
         {"LOGIN_PROFILE=production\n", "LOGIN_WORKERS=3\n", "LOGIN_COOKIE_SECURE=on\n",
          "LOGIN_DATABASE_URL=postgresql://login_app:***@db:5432/login?sslmode=require\n",
          "LOGIN_DATABASE_READ_URL=host=standby user=login_app password=*** dbname=login\n",
          "LOGIN_SESSION_REDIS_URL=redis://:***@sessions:6379/0\n",
          // Defaults are shown too: the cache falls back to LOGIN_REDIS_URL.
          "LOGIN_CACHE_REDIS_URL=redis://127.0.0.1:6380/0\n", "LOGIN_SCRYPT_N=16384\n",
          "LOGIN_SCRYPT_P=5\n", "LOGIN_SECRET_KEY=***\n", "LOGIN_RATE_REAUTH_FAILURES=5\n",
          "LOGIN_SMTP_URL=smtp://mailer:***@relay:587\n", "LOGIN_SMTP_PASSWORD=***\n",
          "LOGIN_MFA_PENDING_SECONDS=300\n"})
        BOOST_TEST(r.output.find(line) != std::string::npos, line << " missing from:\n"
                                                                  << r.output);
    BOOST_TEST(r.output.find("configuration ok") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(mask_secrets_hides_every_password_form) {
    BOOST_TEST(app::mask_secrets("postgresql://u:p@h/db") == "postgresql://u:***@h/db");
    BOOST_TEST(app::mask_secrets("sentinel://u:p@s1:26379,s2/m") ==
               "sentinel://u:***@s1:26379,s2/m");
    BOOST_TEST(app::mask_secrets("postgresql://h/db?password=p&x=1") ==
               "postgresql://h/db?password=***&x=1");
    BOOST_TEST(app::mask_secrets("redis://h:6379/0") == "redis://h:6379/0");
    BOOST_TEST(app::mask_secrets("redis://:p@h:6379/0") == "redis://:***@h:6379/0");
    BOOST_TEST(app::mask_secrets("host=db PASSWORD=p user=u") == "host=db PASSWORD=*** user=u");
    BOOST_TEST(app::mask_secrets("postgresql://u:p@h/db?password=q") ==
               "postgresql://u:***@h/db?password=***");
    BOOST_TEST(app::mask_secrets("postgresql://h/db?password=") == "postgresql://h/db?password=***");
}
