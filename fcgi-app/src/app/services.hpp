// The composition root: every store and service one process uses, built from its
// configuration. The worker builds it after exec, the CLI when it starts; the only other
// store built anywhere is the mailer's SMTP connection (cli/mailer.cpp), which no request
// path uses. Routes see the services only.
#pragma once

#include <memory>

#include "config.hpp"
#include "service/account_tokens.hpp"
#include "service/accounts.hpp"
#include "service/api_clients.hpp"
#include "service/auth.hpp"
#include "service/known_devices.hpp"
#include "service/passwords.hpp"
#include "service/profiles.hpp"
#include "service/rate_limits.hpp"
#include "service/readiness.hpp"
#include "service/mfa.hpp"
#include "service/outbox.hpp"
#include "service/reauth.hpp"
#include "service/recovery.hpp"
#include "service/sessions.hpp"
#include "service/signer.hpp"
#include "service/user_admin.hpp"
#include "service/users.hpp"
#include "store/mail_queue.hpp"
#include "store/mfa.hpp"
#include "store/api_clients.hpp"
#include "store/pg.hpp"
#include "store/redis.hpp"
#include "store/users.hpp"

namespace app {

// The connections, named by role. Connections open lazily, on first use, so building this
// before any request costs nothing and shares nothing across processes.
class Stores {
public:
    explicit Stores(const Config& config);
    Stores(const Stores&) = delete;
    Stores& operator=(const Stores&) = delete;

    // Every write, logins, and reads right after a write.
    store::Pg& primary() { return primary_; }
    // Cache-miss profile reads and list pages: a standby, or the primary itself by default.
    store::Pg& read_pool() { return read_pool_ ? *read_pool_ : primary_; }
    // Sessions and rate-limit counters: no eviction, persistent.
    store::Redis& session_redis() { return session_redis_; }
    // Profiles and API tokens: may evict; the session server itself by default.
    store::Redis& cache_redis() { return cache_redis_ ? *cache_redis_ : session_redis_; }
    // True when sessions and the cache share one server, so one script can read both.
    bool one_redis() const { return !cache_redis_; }

private:
    store::Pg primary_;
    std::unique_ptr<store::Pg> read_pool_;  // only when the read URL names another server
    store::Redis session_redis_;
    std::unique_ptr<store::Redis> cache_redis_;  // only when the cache URL names another server
};

// The rows behind the services: built first, private to Services.
struct ServiceData {
    explicit ServiceData(const Config& config);
    Stores stores;
    store::UserStore user_rows;
    store::ApiClientStore client_rows;
    store::MailQueue mail_queue;
    store::MfaStore mfa_rows;
};

// Every service of one process.
class Services : private ServiceData {
public:
    Services(const Config& config, const service::Passwords& passwords);
    Services(const Services&) = delete;
    Services& operator=(const Services&) = delete;

    const Config& config;
    service::SessionStore sessions;
    service::Profiles profiles;
    service::Users users;
    service::Signer signer;  // the server key: CSRF tokens and known-device cookies
    service::KnownDevices known_devices;
    service::RateLimits rate_limits;
    service::AccountTokens tokens;
    service::Outbox outbox;
    service::Mfa mfa;
    service::Auth auth;
    service::Reauth reauth;
    service::Accounts accounts;
    service::ApiClients api_clients;
    service::Recovery recovery;
    service::UserAdmin user_admin;

    // The queue the mailer takes its jobs from (login-fcgi mailer only; the metrics read its
    // counts through outbox).
    store::MailQueue& mail_queue() { return ServiceData::mail_queue; }
    // True when sessions and the cached profiles live on one server (one round trip a page).
    bool one_redis() const { return stores.one_redis(); }
    // Pings each store once; never throws.
    service::Readiness readiness();
};

}  // namespace app
