// Fail-fast checks of the configuration, and its masked listing.
#include "config_check.hpp"

#include <stdexcept>
#include <string_view>

#include "store/pg_url.hpp"
#include "util/text.hpp"

namespace app {
namespace {

void check_postgres_url(const char* name, const std::string& url) {
    if (url.empty()) return;
    const store::PgUrlParts parts = store::parse_pg_url(url);
    if (parts.error)
        throw std::invalid_argument(
            std::string(name) + " is not a libpq connection URL: " + mask_secrets(*parts.error));
    // libpq checks ports only when it connects: each of a multi-host list must be a number.
    for (const auto& value : parts.ports)
        for (const auto& port : util::split_commas(value))
            if (!port.empty() && !util::parse_uint(port, 65535).value_or(0))
                throw std::invalid_argument(std::string(name) + ": port '" + port +
                                            "' is not a number from 1 to 65535");
}

// A unix socket path, or [host]:port with a port from 1 to 65535.
void check_socket(const std::string& socket) {
    if (socket.empty()) throw std::invalid_argument("LOGIN_SOCKET is empty");
    const size_t colon = socket.rfind(':');
    if (colon == std::string::npos) return;
    const auto port = util::parse_uint(socket.substr(colon + 1), 65535);
    if (!port || *port == 0)
        throw std::invalid_argument(
            "LOGIN_SOCKET (" + socket +
            ") must be a unix socket path or host:port with a port from 1 to 65535");
}

// A password setting: never shown, only whether it is set.
std::string secret(const std::string& v) { return v.empty() ? "(none)" : "***"; }

std::string yes_no(bool v) {
    return v ? "on" : "off";
}

}  // namespace

// By hand rather than with std::regex: GCC 12's <regex> does not build warning-free under the
// sanitizers (make test-sanitize), and two scans say it as plainly.
std::string mask_secrets(const std::string& url) {
    constexpr size_t npos = std::string::npos;
    std::string out = url;
    // scheme://user:PASSWORD@host (the user holds no '/', '@', ':' or ',')
    for (size_t scheme = out.find("://"); scheme != npos; scheme = out.find("://", scheme + 3)) {
        const size_t colon = out.find_first_of("/@:,", scheme + 3);
        if (colon == npos || out[colon] != ':') continue;
        const size_t at = out.find_first_of("@/", colon + 1);
        if (at == npos || out[at] != '@') continue;
        out.replace(colon + 1, at - colon - 1, "***");
    }
    // password=VALUE, a conninfo keyword or a URL parameter, in any letter case
    constexpr std::string_view kKey = "password=";
    for (size_t key = util::ascii_lower(out).find(kKey); key != npos;
         key = util::ascii_lower(out).find(kKey, key + kKey.size() + 3)) {
        const size_t value = key + kKey.size();
        const size_t end = out.find_first_of("& \t\r\n\f\v", value);
        out.replace(value, (end == npos ? out.size() : end) - value, "***");
    }
    return out;
}

void validate_config(const Config& c) {
    check_socket(c.socket);
    check_postgres_url("LOGIN_DATABASE_URL", c.database_url);
    check_postgres_url("LOGIN_DATABASE_READ_URL", c.database_read_url);
    // The Redis URLs are parsed by config_from_env itself (store/redis_url).
    if (c.key_prefix.empty() || c.key_prefix.find_first_of(" \t\r\n") != std::string::npos)
        throw std::invalid_argument("LOGIN_KEY_PREFIX must be non-empty, without white space");
}

void validate_for_serving(const Config& c) {
    if (c.secret_key.empty())
        throw std::invalid_argument(
            "LOGIN_SECRET_KEY_FILE (or LOGIN_SECRET_KEY) is not set; the workers sign CSRF tokens "
            "and known-device cookies with it (make run and make test provision "
            "$STACK_DIR/secret.key)");
}

std::vector<std::pair<std::string, std::string>> effective_settings(const Config& c) {
    const auto& l = c.limits;
    const auto& m = c.mail;
    const auto& a = c.accounts;
    auto n = [](auto v) { return std::to_string(v); };
    return {
        {"LOGIN_PROFILE", c.production ? "production" : "development"},
        {"LOGIN_SOCKET", c.socket},
        {"LOGIN_SOCKET_GROUP", c.socket_group.empty() ? "(the supervisor's)" : c.socket_group},
        {"LOGIN_WORKERS", n(c.workers)},
        {"LOGIN_BACKLOG", n(c.backlog)},
        {"LOGIN_WORKER_NICE", n(c.worker_nice)},
        {"LOGIN_DATABASE_URL", mask_secrets(c.database_url)},
        {"LOGIN_DATABASE_READ_URL", mask_secrets(c.database_read())},
        {"LOGIN_DATABASE_PASSWORD", secret(c.database_password)},
        {"LOGIN_READ_YOUR_WRITES_SECONDS", n(c.read_your_writes_seconds)},
        {"LOGIN_REDIS_URL", mask_secrets(c.redis_url)},
        {"LOGIN_SESSION_REDIS_URL", mask_secrets(c.session_redis())},
        {"LOGIN_CACHE_REDIS_URL", mask_secrets(c.cache_redis())},
        {"LOGIN_REDIS_PASSWORD", secret(c.redis_password)},
        {"LOGIN_SESSION_REDIS_PASSWORD", secret(c.session_redis_password)},
        {"LOGIN_CACHE_REDIS_PASSWORD", secret(c.cache_redis_password)},
        {"LOGIN_SESSION_WAIT_REPLICAS", n(c.session_wait_replicas)},
        {"LOGIN_SESSION_WAIT_TIMEOUT_MS", n(c.session_wait_timeout_ms)},
        {"LOGIN_KEY_PREFIX", c.key_prefix},
        {"LOGIN_COOKIE_SECURE", yes_no(c.cookie_secure)},
        {"LOGIN_SESSION_IDLE_SECONDS", n(c.session_idle_seconds)},
        {"LOGIN_SESSION_ABSOLUTE_SECONDS", n(c.session_absolute_seconds)},
        {"LOGIN_PROFILE_CACHE", yes_no(c.profile_cache)},
        {"LOGIN_PROFILE_CACHE_TTL_SECONDS", n(c.profile_cache_ttl_seconds)},
        {"LOGIN_SCRYPT_N", n(c.scrypt.N)},
        {"LOGIN_SCRYPT_R", n(c.scrypt.r)},
        {"LOGIN_SCRYPT_P", n(c.scrypt.p)},
        {"LOGIN_SECRET_KEY", secret(c.secret_key)},
        {"LOGIN_SECRET_KEY_PREVIOUS", secret(c.previous_secret_key)},
        {"LOGIN_MAX_BODY_BYTES", n(c.max_body_bytes)},
        {"LOGIN_LOG_LEVEL", c.log_level},
        {"LOGIN_RATE_LOGIN_FREE_FAILURES", n(l.login_free_failures)},
        {"LOGIN_RATE_LOGIN_MAX_DELAY_SECONDS", n(l.login_max_delay_seconds)},
        {"LOGIN_RATE_LOGIN_ACCOUNT_PER_HOUR", n(l.login_account_failures_per_hour)},
        {"LOGIN_RATE_LOGIN_IP_PER_HOUR", n(l.login_ip_failures_per_hour)},
        {"LOGIN_RATE_REGISTER_IP_PER_HOUR", n(l.register_per_ip_per_hour)},
        {"LOGIN_RATE_API_PER_MINUTE", n(l.api_requests_per_minute)},
        {"LOGIN_KNOWN_DEVICE_DAYS", n(l.known_device_days)},
        {"LOGIN_RATE_LOGIN_DEVICE_FREE_FAILURES", n(l.login_device_free_failures)},
        {"LOGIN_RATE_LOGIN_DEVICE_PER_HOUR", n(l.login_device_failures_per_hour)},
        {"LOGIN_RATE_REAUTH_FAILURES", n(l.reauth_failures_per_session)},
        {"LOGIN_RATE_RECOVERY_ACCOUNT_PER_HOUR", n(l.recovery_account_per_hour)},
        {"LOGIN_RATE_RECOVERY_IP_PER_HOUR", n(l.recovery_ip_per_hour)},
        {"LOGIN_RATE_BAD_LINK_IP_PER_HOUR", n(l.bad_link_ip_per_hour)},
        {"LOGIN_RATE_VERIFY_MAIL_PER_HOUR", n(l.verify_mail_per_hour)},
        {"LOGIN_SMTP_URL", mask_secrets(m.smtp_url)},
        {"LOGIN_SMTP_STARTTLS", yes_no(m.smtp_starttls)},
        {"LOGIN_SMTP_USER", m.smtp_user.empty() ? "(none)" : m.smtp_user},
        {"LOGIN_SMTP_PASSWORD", secret(m.smtp_password)},
        {"LOGIN_SMTP_CA_FILE", m.smtp_ca_file.empty() ? "(the system's)" : m.smtp_ca_file},
        {"LOGIN_SMTP_TIMEOUT_SECONDS", n(m.smtp_timeout_seconds)},
        {"LOGIN_MAIL_FROM", m.from},
        {"LOGIN_PUBLIC_URL", m.public_url},
        {"LOGIN_MAIL_MAX_ATTEMPTS", n(m.max_attempts)},
        {"LOGIN_MAIL_RETRY_SECONDS", n(m.retry_base_seconds)},
        {"LOGIN_RESET_TOKEN_SECONDS", n(a.reset_token_seconds)},
        {"LOGIN_VERIFY_TOKEN_SECONDS", n(a.verify_token_seconds)},
        {"LOGIN_MFA_PENDING_SECONDS", n(a.mfa_pending_seconds)},
        {"LOGIN_TOTP_ISSUER", a.totp_issuer},
    };
}

}  // namespace app
