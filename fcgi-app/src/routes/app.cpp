// Everything one worker owns.
#include "routes/app.hpp"

#include "http/parse.hpp"

namespace routes {
namespace {

constexpr std::string_view kCookieName = "sid";

}  // namespace

App::App(const app::Config& cfg, const service::Passwords& pw)
    : config(cfg), passwords(pw), pg(cfg.database_url),
      redis(cfg.session_redis(), metrics::Store::redis_session),
      separate_cache_(cfg.cache_redis() == cfg.session_redis()
                          ? nullptr
                          : std::make_unique<store::Redis>(cfg.cache_redis(),
                                                           metrics::Store::redis_cache)),
      cache(separate_cache_ ? *separate_cache_ : redis), users(pg),
      sessions(redis, cfg.key_prefix, cfg.session_idle_seconds, cfg.session_absolute_seconds),
      profiles(users, cache, cfg.key_prefix, cfg.profile_cache_ttl_seconds, cfg.profile_cache),
      auth(users, profiles, pw), accounts(users, profiles, pw), api_client_store(pg),
      api_clients(api_client_store, cache, cfg.key_prefix) {}

std::string App::start_session(const http::Request& req, int64_t user_id, int generation) {
    if (auto old = session_cookie(req)) sessions.destroy(*old);
    return session_cookie_header(sessions.create(user_id, generation));
}

std::optional<std::string> App::session_cookie(const http::Request& req) const {
    auto header = req.header("cookie");
    if (!header) return std::nullopt;
    const auto cookies = http::parse_cookies(*header);
    auto value = http::find_field(cookies, kCookieName);
    if (!value) return std::nullopt;
    return std::string(*value);
}

std::optional<service::Session> App::current_session(const http::Request& req) {
    auto id = session_cookie(req);
    if (!id) return std::nullopt;
    return sessions.touch(*id);
}

std::string App::session_cookie_header(std::string_view id) const {
    std::string v(kCookieName);
    v += '=';
    v += id;
    v += "; Path=/; HttpOnly; SameSite=Lax";
    if (config.cookie_secure) v += "; Secure";
    return v;
}

std::string App::clear_cookie_header() const {
    std::string v(kCookieName);
    v += "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax";
    if (config.cookie_secure) v += "; Secure";
    return v;
}

}  // namespace routes
