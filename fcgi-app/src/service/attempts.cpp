// Counting a credential check that a store outage cut short.
#include "service/attempts.hpp"

#include "store/errors.hpp"

namespace service {

void count_unavailable(metrics::Attempt attempt, const std::function<void()>& body) {
    try {
        body();
    } catch (const store::PgError& e) {
        // SQLSTATE class 22 is the client's 400 (worker.cpp), not an outage.
        if (!e.sqlstate().starts_with("22"))
            metrics::attempt(attempt, metrics::AttemptResult::unavailable);
        throw;
    } catch (const store::RedisError&) {
        metrics::attempt(attempt, metrics::AttemptResult::unavailable);
        throw;
    }
}

}  // namespace service
