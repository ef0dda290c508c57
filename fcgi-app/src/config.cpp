// Every setting of the program, read from the environment once and validated.
#include "config.hpp"

#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "store/errors.hpp"
#include "store/redis_url.hpp"
#include "util/text.hpp"

namespace app {
namespace {

class Reader {
public:
    explicit Reader(const EnvGetter& getenv) : getenv_(getenv) {}

    void text(const char* name, std::string& out) {
        if (auto v = getenv_(name); v && !v->empty()) out = *v;
    }

    // A secret: the variable itself, or the contents of the file NAME_FILE names (one trailing
    // newline dropped), so that passwords need not sit in the environment or a compose file.
    void secret(const char* name, std::string& out) {
        const std::string file_var = std::string(name) + "_FILE";
        auto direct = getenv_(name);
        auto file = getenv_(file_var.c_str());
        const bool has_direct = direct && !direct->empty();
        const bool has_file = file && !file->empty();
        if (has_direct && has_file)
            throw std::invalid_argument("set " + std::string(name) + " or " + file_var + ", not both");
        if (has_direct) out = *direct;
        if (has_file) out = read_secret_file(file_var, *file);
    }

    template <class Int>
    void integer(const char* name, Int& out, uint64_t min, uint64_t max) {
        auto v = getenv_(name);
        if (!v || v->empty()) return;
        auto parsed = util::parse_uint(*v, max);
        if (!parsed || *parsed < min)
            throw std::invalid_argument(std::string(name) + " must be an integer from " +
                                        std::to_string(min) + " to " + std::to_string(max));
        out = static_cast<Int>(*parsed);
    }

    void boolean(const char* name, bool& out) {
        auto v = getenv_(name);
        if (!v || v->empty()) return;
        const std::string s = util::ascii_lower(*v);
        if (s == "1" || s == "true" || s == "on" || s == "yes") out = true;
        else if (s == "0" || s == "false" || s == "off" || s == "no") out = false;
        else throw std::invalid_argument(std::string(name) + " must be on or off");
    }

private:
    static std::string read_secret_file(const std::string& var, const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw std::invalid_argument(var + ": cannot read " + path);
        std::ostringstream content;
        content << in.rdbuf();
        std::string value = content.str();
        if (value.ends_with("\n")) value.pop_back();
        if (value.ends_with("\r")) value.pop_back();
        if (value.empty()) throw std::invalid_argument(var + ": " + path + " is empty");
        if (value.find('\n') != std::string::npos || value.find('\0') != std::string::npos)
            throw std::invalid_argument(var + ": " + path + " must hold one line");
        return value;
    }

    const EnvGetter& getenv_;
};

// Refuses a malformed Redis URL now, naming its variable, rather than in every worker later.
void check_redis_url(const char* name, const std::string& url) {
    if (url.empty()) return;
    try {
        store::parse_redis_url(url);
    } catch (const store::RedisError& e) {
        throw std::invalid_argument(std::string(name) + ": " + e.what());
    }
}

}  // namespace

int default_workers() {
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    const int cores = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : 1;
    return kWorkersPerCore * std::max(cores, 1);
}

Config config_from_env(const EnvGetter& getenv) {
    Config c;
    Reader env(getenv);
    std::string profile = "development";
    env.text("LOGIN_PROFILE", profile);
    if (profile != "development" && profile != "production")
        throw std::invalid_argument("LOGIN_PROFILE must be development or production");
    c.production = profile == "production";
    c.cookie_secure = c.production;

    env.text("LOGIN_SOCKET", c.socket);
    env.text("LOGIN_SOCKET_GROUP", c.socket_group);
    env.integer("LOGIN_WORKERS", c.workers, 1, 256);
    env.integer("LOGIN_BACKLOG", c.backlog, 16, 65535);
    env.integer("LOGIN_WORKER_NICE", c.worker_nice, 0, 19);
    env.secret("LOGIN_DATABASE_URL", c.database_url);
    env.secret("LOGIN_DATABASE_READ_URL", c.database_read_url);
    env.secret("LOGIN_DATABASE_PASSWORD", c.database_password);
    env.integer("LOGIN_READ_YOUR_WRITES_SECONDS", c.read_your_writes_seconds, 1, 60);
    env.secret("LOGIN_REDIS_URL", c.redis_url);
    env.secret("LOGIN_SESSION_REDIS_URL", c.session_redis_url);
    env.secret("LOGIN_CACHE_REDIS_URL", c.cache_redis_url);
    env.secret("LOGIN_REDIS_PASSWORD", c.redis_password);
    env.secret("LOGIN_SESSION_REDIS_PASSWORD", c.session_redis_password);
    env.secret("LOGIN_CACHE_REDIS_PASSWORD", c.cache_redis_password);
    check_redis_url("LOGIN_REDIS_URL", c.redis_url);
    check_redis_url("LOGIN_SESSION_REDIS_URL", c.session_redis_url);
    check_redis_url("LOGIN_CACHE_REDIS_URL", c.cache_redis_url);
    env.integer("LOGIN_SESSION_WAIT_REPLICAS", c.session_wait_replicas, 0, 16);
    env.integer("LOGIN_SESSION_WAIT_TIMEOUT_MS", c.session_wait_timeout_ms, 1, 10000);
    env.text("LOGIN_KEY_PREFIX", c.key_prefix);
    env.boolean("LOGIN_COOKIE_SECURE", c.cookie_secure);
    env.integer("LOGIN_SESSION_IDLE_SECONDS", c.session_idle_seconds, 60, 7 * 24 * 3600);
    env.integer("LOGIN_SESSION_ABSOLUTE_SECONDS", c.session_absolute_seconds, 60, 30 * 24 * 3600);
    env.boolean("LOGIN_PROFILE_CACHE", c.profile_cache);
    env.integer("LOGIN_PROFILE_CACHE_TTL_SECONDS", c.profile_cache_ttl_seconds, 1, 7 * 24 * 3600);
    env.integer("LOGIN_SCRYPT_N", c.scrypt.N, 1024, uint64_t{1} << 20);
    env.integer("LOGIN_SCRYPT_R", c.scrypt.r, 1, 32);
    env.integer("LOGIN_SCRYPT_P", c.scrypt.p, 1, 16);
    env.integer("LOGIN_MAX_BODY_BYTES", c.max_body_bytes, 1024, 1024 * 1024);
    env.text("LOGIN_LOG_LEVEL", c.log_level);
    auto& l = c.limits;
    env.integer("LOGIN_RATE_LOGIN_FREE_FAILURES", l.login_free_failures, 1, 99);
    env.integer("LOGIN_RATE_LOGIN_MAX_DELAY_SECONDS", l.login_max_delay_seconds, 1, 3600);
    env.integer("LOGIN_RATE_LOGIN_ACCOUNT_PER_HOUR", l.login_account_failures_per_hour, 1, 99);
    env.integer("LOGIN_RATE_LOGIN_IP_PER_HOUR", l.login_ip_failures_per_hour, 1, 1000000);
    env.integer("LOGIN_RATE_REGISTER_IP_PER_HOUR", l.register_per_ip_per_hour, 1, 1000000);
    env.integer("LOGIN_RATE_API_PER_MINUTE", l.api_requests_per_minute, 1, 10000000);
    env.integer("LOGIN_KNOWN_DEVICE_DAYS", l.known_device_days, 1, 3650);
    env.integer("LOGIN_RATE_RECOVERY_ACCOUNT_PER_HOUR", l.recovery_account_per_hour, 1, 1000);
    env.integer("LOGIN_RATE_RECOVERY_IP_PER_HOUR", l.recovery_ip_per_hour, 1, 1000000);
    env.integer("LOGIN_RATE_BAD_LINK_IP_PER_HOUR", l.bad_link_ip_per_hour, 1, 1000000);
    env.integer("LOGIN_RATE_VERIFY_MAIL_PER_HOUR", l.verify_mail_per_hour, 1, 1000);
    MailSettings& m = c.mail;
    env.secret("LOGIN_SMTP_URL", m.smtp_url);
    env.boolean("LOGIN_SMTP_STARTTLS", m.smtp_starttls);
    env.text("LOGIN_SMTP_USER", m.smtp_user);
    env.secret("LOGIN_SMTP_PASSWORD", m.smtp_password);
    env.text("LOGIN_SMTP_CA_FILE", m.smtp_ca_file);
    env.integer("LOGIN_SMTP_TIMEOUT_SECONDS", m.smtp_timeout_seconds, 1, 600);
    env.text("LOGIN_MAIL_FROM", m.from);
    env.text("LOGIN_PUBLIC_URL", m.public_url);
    env.integer("LOGIN_MAIL_MAX_ATTEMPTS", m.max_attempts, 1, 50);
    env.integer("LOGIN_MAIL_RETRY_SECONDS", m.retry_base_seconds, 1, 3600);
    AccountSettings& a = c.accounts;
    env.integer("LOGIN_RESET_TOKEN_SECONDS", a.reset_token_seconds, 60, 24 * 3600);
    env.integer("LOGIN_VERIFY_TOKEN_SECONDS", a.verify_token_seconds, 300, 30 * 24 * 3600);
    env.integer("LOGIN_MFA_PENDING_SECONDS", a.mfa_pending_seconds, 30, 3600);
    env.text("LOGIN_TOTP_ISSUER", a.totp_issuer);
    env.integer("LOGIN_RATE_LOGIN_DEVICE_FREE_FAILURES", l.login_device_free_failures, 1, 999);
    env.integer("LOGIN_RATE_LOGIN_DEVICE_PER_HOUR", l.login_device_failures_per_hour, 1, 1000);
    env.integer("LOGIN_RATE_REAUTH_FAILURES", l.reauth_failures_per_session, 1, 99);
    env.secret("LOGIN_SECRET_KEY", c.secret_key);
    env.secret("LOGIN_SECRET_KEY_PREVIOUS", c.previous_secret_key);

    if ((c.scrypt.N & (c.scrypt.N - 1)) != 0)
        throw std::invalid_argument("LOGIN_SCRYPT_N must be a power of two");
    if (scrypt_memory_bytes(c.scrypt) > kMaxScryptMemoryBytes)
        throw std::invalid_argument("LOGIN_SCRYPT_N and LOGIN_SCRYPT_R need 128*r*N bytes per hash; "
                                    "keep that at most 1 GiB");
    if (c.session_idle_seconds > c.session_absolute_seconds)
        throw std::invalid_argument(
            "LOGIN_SESSION_IDLE_SECONDS must not exceed LOGIN_SESSION_ABSOLUTE_SECONDS");
    if (c.production && c.secret_key.empty())
        throw std::invalid_argument(
            "LOGIN_SECRET_KEY_FILE (or LOGIN_SECRET_KEY) is required in "
            "production: a file holding at least 32 random bytes, e.g. "
            "from `openssl rand -base64 48`");
    if (!c.secret_key.empty() && c.secret_key.size() < kMinSecretKeyBytes)
        throw std::invalid_argument("LOGIN_SECRET_KEY(_FILE) must hold at least 32 bytes");
    if (!c.previous_secret_key.empty() && c.previous_secret_key.size() < kMinSecretKeyBytes)
        throw std::invalid_argument("LOGIN_SECRET_KEY_PREVIOUS(_FILE) must hold at least 32 bytes");
    if (l.login_device_free_failures >= l.login_device_failures_per_hour)
        throw std::invalid_argument(
            "LOGIN_RATE_LOGIN_DEVICE_FREE_FAILURES must be below "
            "LOGIN_RATE_LOGIN_DEVICE_PER_HOUR");
    if (l.login_free_failures >= l.login_account_failures_per_hour)
        throw std::invalid_argument("LOGIN_RATE_LOGIN_FREE_FAILURES must be below "
                                    "LOGIN_RATE_LOGIN_ACCOUNT_PER_HOUR");
    if (!m.smtp_url.starts_with("smtp://") && !m.smtp_url.starts_with("smtps://"))
        throw std::invalid_argument("LOGIN_SMTP_URL must start with smtp:// or smtps://");
    if ((!m.public_url.starts_with("http://") && !m.public_url.starts_with("https://")) ||
        m.public_url.ends_with("/") || util::has_control_chars(m.public_url))
        throw std::invalid_argument(
            "LOGIN_PUBLIC_URL must be http(s)://host[:port] without a trailing slash");
    if (m.from.find('@') == std::string::npos || util::has_control_chars(m.from))
        throw std::invalid_argument("LOGIN_MAIL_FROM must be an address such as "
                                    "\"Acme <no-reply@example.com>\"");
    if (a.totp_issuer.empty() || a.totp_issuer.find(':') != std::string::npos ||
        util::has_control_chars(a.totp_issuer))
        throw std::invalid_argument("LOGIN_TOTP_ISSUER must be a name without ':'");
    if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warn" &&
        c.log_level != "error")
        throw std::invalid_argument("LOGIN_LOG_LEVEL must be debug, info, warn or error");
    return c;
}

Config config_from_process_env() {
    return config_from_env([](const char* name) -> std::optional<std::string> {
        const char* v = std::getenv(name);
        if (!v) return std::nullopt;
        return std::string(v);
    });
}

}  // namespace app
