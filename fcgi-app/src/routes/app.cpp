// Everything one worker owns.
#include "routes/app.hpp"

#include "http/parse.hpp"
#include "util/net.hpp"
#include "util/text.hpp"

namespace routes {

App::App(const app::Config& cfg, const service::Passwords& pw)
    : config(cfg), passwords(pw), pg(cfg.database_url),
      separate_read_pool_(cfg.database_read() == cfg.database_url
                              ? nullptr
                              : std::make_unique<store::Pg>(cfg.database_read())),
      read_pool(separate_read_pool_ ? *separate_read_pool_ : pg),
      redis(cfg.session_redis(), metrics::Store::redis_session),
      separate_cache_(cfg.cache_redis() == cfg.session_redis()
                          ? nullptr
                          : std::make_unique<store::Redis>(cfg.cache_redis(),
                                                           metrics::Store::redis_cache)),
      cache(separate_cache_ ? *separate_cache_ : redis), users(pg, read_pool),
      sessions(redis, cfg.key_prefix, cfg.session_idle_seconds, cfg.session_absolute_seconds,
               {cfg.session_wait_replicas, cfg.session_wait_timeout_ms}),
      profiles(users, cache, cfg.key_prefix, cfg.profile_cache_ttl_seconds, cfg.profile_cache, {},
               cfg.read_your_writes_seconds),
      signer(cfg.secret_key, cfg.previous_secret_key),
      known_devices(signer, cfg.limits.known_device_days),
      rate_limits(redis, cfg.key_prefix, cfg.limits),
      auth(users, profiles, pw, rate_limits, known_devices),
      reauth(users, pw, rate_limits, sessions, cfg.limits.reauth_failures_per_session),
      accounts(users, profiles, pw),
      api_client_store(pg), api_clients(api_client_store, cache, cfg.key_prefix) {}

std::string App::start_session(const http::Request& req, int64_t user_id, int generation) {
    if (auto old = session_cookie(req)) sessions.destroy(*old);
    service::SessionOrigin origin;
    origin.network = util::ip_network(req.remote_addr, 24, 48).value_or("");
    origin.user_agent = util::printable_prefix(req.header("user-agent").value_or(""), 256);
    return session_cookie_header(req, sessions.create(user_id, generation, origin));
}

std::optional<std::string> App::cookie(const http::Request& req, std::string_view name) const {
    auto header = req.header("cookie");
    if (!header) return std::nullopt;
    const std::string full = (secure_cookies(req) ? "__Host-" : "") + std::string(name);
    const auto cookies = http::parse_cookies(*header);
    auto value = http::find_field(cookies, full);
    if (!value) return std::nullopt;
    return std::string(*value);
}

std::optional<std::string> App::session_cookie(const http::Request& req) const {
    return cookie(req, "sid");
}

std::optional<service::Session> App::current_session(const http::Request& req) {
    auto id = session_cookie(req);
    if (!id) return std::nullopt;
    return sessions.touch(*id);
}

bool App::secure_cookies(const http::Request& req) const {
    return config.cookie_secure || req.scheme == "https";
}

std::string App::cookie_header(const http::Request& req, std::string_view name,
                               std::string_view value, std::string_view attributes) const {
    const bool secure = secure_cookies(req);
    std::string v = secure ? "__Host-" : "";
    v += name;
    v += '=';
    v += value;
    v += "; Path=/";
    v += attributes;
    v += "; HttpOnly; SameSite=Lax";
    if (secure) v += "; Secure";
    return v;
}

std::string App::session_cookie_header(const http::Request& req, std::string_view id) const {
    return cookie_header(req, "sid", id, "");
}

std::string App::clear_cookie_header(const http::Request& req) const {
    return cookie_header(req, "sid", "", "; Max-Age=0");
}

std::string App::device_cookie_header(const http::Request& req, std::string_view token) const {
    return cookie_header(req, "did", token,
                         "; Max-Age=" + std::to_string(config.limits.known_device_days * 86400));
}

std::optional<std::string> App::known_device(const http::Request& req, int64_t user_id,
                                             int generation) const {
    const auto did = cookie(req, "did");
    if (!did) return std::nullopt;
    return known_devices.device_of(*did, user_id, generation);
}

}  // namespace routes
