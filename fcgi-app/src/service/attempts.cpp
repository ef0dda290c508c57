// Counting credential checks: refusals and store outages.
#include "service/attempts.hpp"

#include "store/errors.hpp"

namespace service {

metrics::AttemptResult refused_result(const Verdict& verdict) {
    return verdict.reason == "account_limit" || verdict.reason == "device_limit"
               ? metrics::AttemptResult::locked
               : metrics::AttemptResult::throttled;
}

void count_unavailable(metrics::Attempt attempt, const std::function<void()>& body) {
    try {
        body();
    } catch (const store::Error& e) {
        // A bad value is the client's 400 and a conflict its 409 (worker.cpp), not an outage.
        if (e.kind() == store::ErrorKind::unavailable)
            metrics::attempt(attempt, metrics::AttemptResult::unavailable);
        throw;
    }
}

}  // namespace service
