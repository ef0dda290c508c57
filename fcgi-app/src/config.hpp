// Every setting of the program, read from the environment once per process and validated: by
// the supervisor before it forks, and by each worker it execs again, from the same environment
// (nothing computed before the exec survives it). Nothing else reads the environment. Secrets
// (URLs that may carry a password, and the passwords) may instead name a file: LOGIN_X_FILE for
// LOGIN_X.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace app {

// OWASP's minimum for scrypt with 16 MiB per hash: N=2^14, r=8, p=5 (p=1 would need N=2^17 and
// 128 MiB for the same work; see docs/SECURITY.md for what p=1 at 2^14 trades away).
struct ScryptParams {
    uint64_t N = 16384;
    uint32_t r = 8;
    uint32_t p = 5;
    bool operator==(const ScryptParams&) const = default;
};

// Memory one scrypt hash allocates: 128 · r · N bytes (16 MiB at the defaults).
constexpr uint64_t scrypt_memory_bytes(const ScryptParams& p) { return 128 * p.r * p.N; }
// Above this a hash is refused, whether configured or read from the database.
constexpr uint64_t kMaxScryptMemoryBytes = uint64_t{1} << 30;

// Anti-automation limits, counted in Redis so that every worker on every host shares them.
struct RateLimits {
    int login_free_failures = 5;          // failures per account before the delay starts
    int login_max_delay_seconds = 60;     // the delay doubles per failure up to this
    int login_account_failures_per_hour = 50;  // then 429 until the hour slides (ASVS: < 100)
    int login_ip_failures_per_hour = 100;
    int register_per_ip_per_hour = 20;
    int api_requests_per_minute = 6000;   // per client application
    int known_device_days = 90;           // how long a login remembers the browser it came from
    int recovery_account_per_hour = 5;    // recovery mails asked for one username or address
    int recovery_ip_per_hour = 30;        // recovery requests per network
    int bad_link_ip_per_hour = 100;       // dead reset or verification links opened per network
    int verify_mail_per_hour = 5;         // verification mails a user may ask to be sent again
    // A known device is not exempt: its own failures (not the account's) count against a larger
    // allowance, and the per-network limit still applies.
    int login_device_free_failures = 10;
    int login_device_failures_per_hour = 90;
    // Wrong current passwords in a row one session may send (re-authentication) before it ends.
    int reauth_failures_per_session = 5;
};

// Mail (issue #17): workers queue jobs in the session Redis; `login-fcgi mailer` sends them.
struct MailSettings {
    // smtp://host:port (STARTTLS when smtp_starttls) or smtps://host:port (TLS from the start).
    std::string smtp_url = "smtp://127.0.0.1:2525";
    bool smtp_starttls = false;     // refuse to send unless the server upgrades to TLS
    std::string smtp_user;          // AUTH when set
    std::string smtp_password;
    std::string smtp_ca_file;       // trust anchors for the relay's certificate; system's if empty
    int smtp_timeout_seconds = 30;
    // The From header ("Acme <no-reply@example.com>"); its domain also names the Message-IDs.
    std::string from = "Acme <no-reply@localhost>";
    // Where the links in mails point: scheme, host and port, without a trailing slash.
    std::string public_url = "http://127.0.0.1:8080";
    int max_attempts = 6;           // then the job goes to the dead-letter list
    int retry_base_seconds = 30;    // the n-th retry waits base · 2^(n-1) seconds
};

// The lifetimes of the links and of the second login step.
struct AccountSettings {
    int reset_token_seconds = 30 * 60;
    int verify_token_seconds = 24 * 60 * 60;
    int mfa_pending_seconds = 5 * 60;
    std::string totp_issuer = "Acme";
};

// Workers per CPU core when LOGIN_WORKERS is unset: the page pool served the most requests for
// the least CPU with 2 per core, nginx and the stores on the same cores (docs/PERFORMANCE.md).
constexpr int kWorkersPerCore = 2;

// kWorkersPerCore × the CPUs this process may run on (its affinity mask, so a cpuset counts).
int default_workers();

// The smallest server key accepted, in bytes.
constexpr size_t kMinSecretKeyBytes = 32;

struct Config {
    // Where the workers listen: a unix socket path, or ":port" / "host:port" for TCP.
    std::string socket = "var/run/app.sock";
    // The group of a unix socket (mode 0660), for nginx's user to connect; empty: our own.
    std::string socket_group;
    int workers = default_workers();
    int backlog = 8192;
    int worker_nice = 0;  // CPU priority of the workers (the password pool runs at 10)
    std::string database_url = "postgresql://login_app@127.0.0.1:5433/login";
    // Cache-miss reads of profiles and API list pages; empty means database_url. Meant for a
    // libpq multi-host URL with target_session_attrs=prefer-standby (docs/SCALING.md).
    std::string database_read_url;
    const std::string& database_read() const {
        return database_read_url.empty() ? database_url : database_read_url;
    }
    // The password for both database URLs when they carry none (LOGIN_DATABASE_PASSWORD_FILE).
    std::string database_password;
    // After a change to a user, that user's profile is read from the primary, uncached, for
    // this long (the tombstone's lifetime), so a lagging standby cannot serve older data.
    int read_your_writes_seconds = 2;
    std::string redis_url = "redis://127.0.0.1:6380/0";
    // Sessions (no eviction, persistent) and the profile and token cache (LRU, no persistence)
    // may live on different servers; empty means redis_url. When both name the same server, a
    // page view reads the session and the cached profile in one round trip.
    std::string session_redis_url;
    std::string cache_redis_url;
    const std::string& session_redis() const {
        return session_redis_url.empty() ? redis_url : session_redis_url;
    }
    const std::string& cache_redis() const {
        return cache_redis_url.empty() ? redis_url : cache_redis_url;
    }
    // AUTH passwords for URLs that carry none: per server, else the shared one.
    std::string redis_password;
    std::string session_redis_password;
    std::string cache_redis_password;
    const std::string& session_redis_auth() const {
        return session_redis_password.empty() ? redis_password : session_redis_password;
    }
    const std::string& cache_redis_auth() const {
        return cache_redis_password.empty() ? redis_password : cache_redis_password;
    }
    // A new session is acknowledged by this many session-Redis replicas (WAIT) before the
    // login answers, so that a Sentinel failover does not lose it; 0 does not wait.
    int session_wait_replicas = 0;
    int session_wait_timeout_ms = 100;
    std::string key_prefix = "login:";
    bool production = false;
    bool cookie_secure = false;  // on by default when production
    int session_idle_seconds = 30 * 60;
    int session_absolute_seconds = 12 * 60 * 60;
    bool profile_cache = true;  // off only to measure the uncached baseline
    int profile_cache_ttl_seconds = 300;
    ScryptParams scrypt;
    // The server key (LOGIN_SECRET_KEY or LOGIN_SECRET_KEY_FILE, at least 32 bytes): signs CSRF
    // tokens and known-device cookies. While rotating, values signed under
    // LOGIN_SECRET_KEY_PREVIOUS(_FILE) are still accepted. Required in production; the workers
    // refuse to start without it in any profile (make run and make test provision one).
    std::string secret_key;
    std::string previous_secret_key;
    size_t max_body_bytes = 16 * 1024;
    RateLimits limits;
    MailSettings mail;
    AccountSettings accounts;
    std::string log_level = "info";
};

// Reads one variable; returns nullopt when it is unset.
using EnvGetter = std::function<std::optional<std::string>(const char* name)>;

// Builds the configuration from LOGIN_* variables. Throws std::invalid_argument naming the
// variable when a value is malformed or out of range.
Config config_from_env(const EnvGetter& getenv);

// config_from_env over the process environment.
Config config_from_process_env();

}  // namespace app
