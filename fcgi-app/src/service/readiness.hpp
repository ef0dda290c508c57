// Whether this worker can serve: its PostgreSQL, session Redis and cache Redis answer.
#pragma once

#include <string>

#include "store/pg.hpp"
#include "store/redis.hpp"

namespace service {

struct Readiness {
    bool postgres = false;
    bool session_redis = false;
    bool cache_redis = false;

    // "ready" when all answer; "degraded" when only the cache is down (profiles then come
    // from PostgreSQL, slower but correct); "unavailable" when PostgreSQL or the session
    // store is down.
    std::string status() const;
    bool serving() const { return postgres && session_redis; }
};

// Pings each store once (the cache only when it is a separate server). Never throws.
Readiness check_readiness(store::Pg& pg, store::Redis& sessions, store::Redis& cache);

}  // namespace service
