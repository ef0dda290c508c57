// The composition root.
#include "app/services.hpp"

namespace app {

Stores::Stores(const Config& c)
    : primary_(c.database_url, c.database_password),
      read_pool_(c.database_read() == c.database_url
                     ? nullptr
                     : std::make_unique<store::Pg>(c.database_read(), c.database_password)),
      session_redis_(c.session_redis(), metrics::Store::redis_session, c.session_redis_auth()),
      cache_redis_(c.cache_redis() == c.session_redis()
                       ? nullptr
                       : std::make_unique<store::Redis>(c.cache_redis(), metrics::Store::redis_cache,
                                                        c.cache_redis_auth())) {}

ServiceData::ServiceData(const Config& c)
    : stores(c),
      user_rows(stores.primary(), stores.read_pool()),
      client_rows(stores.primary()),
      mail_queue(stores.session_redis(), c.key_prefix),
      mfa_rows(stores.primary()) {}

Services::Services(const Config& c, const service::Passwords& passwords)
    : ServiceData(c),
      config(c),
      sessions(stores.session_redis(), c.key_prefix, c.session_idle_seconds,
               c.session_absolute_seconds, {c.session_wait_replicas, c.session_wait_timeout_ms}),
      profiles(user_rows, stores.cache_redis(), c.key_prefix, c.profile_cache_ttl_seconds,
               c.profile_cache, {}, c.read_your_writes_seconds),
      users(user_rows, profiles),
      signer(c.secret_key, c.previous_secret_key),
      known_devices(signer, c.limits.known_device_days),
      rate_limits(stores.session_redis(), c.key_prefix, c.limits),
      tokens(stores.session_redis(), c.key_prefix),
      outbox(ServiceData::mail_queue),
      mfa(mfa_rows, stores.session_redis(), c.key_prefix, profiles, rate_limits, c.accounts),
      auth(user_rows, profiles, passwords, rate_limits, known_devices, mfa),
      reauth(user_rows, passwords, rate_limits, sessions, c.limits.reauth_failures_per_session),
      accounts(user_rows, profiles, passwords, reauth, tokens, outbox),
      api_clients(client_rows, stores.cache_redis(), c.key_prefix),
      recovery(users, accounts, tokens, sessions, outbox),
      user_admin(users, sessions, mfa, outbox) {}

service::Readiness Services::readiness() {
    return service::check_readiness(stores.primary(), stores.session_redis(), stores.cache_redis());
}

}  // namespace app
