// Whether this worker can serve.
#include "service/readiness.hpp"

namespace service {

std::string Readiness::status() const {
    if (!serving()) return "unavailable";
    return cache_redis ? "ready" : "degraded";
}

Readiness check_readiness(store::Pg& pg, store::Redis& sessions, store::Redis& cache) {
    Readiness r;
    r.postgres = pg.ping();
    r.session_redis = sessions.ping();
    r.cache_redis = &cache == &sessions ? r.session_redis : cache.ping();
    return r;
}

}  // namespace service
