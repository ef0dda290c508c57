// Counting credential checks for login_attempts_total and its siblings: what a refused attempt
// counts as, and an attempt that a store outage cut short (result "unavailable").
#pragma once

#include <functional>

#include "metrics/metrics.hpp"
#include "service/rate_limits.hpp"

namespace service {

// An attempt a limit refused: locked when an hourly limit of the account (or of its known
// device) refused it, throttled for a growing delay or a network's limit.
metrics::AttemptResult refused_result(const Verdict& verdict);

// Runs body. A store failure of kind unavailable (the request's 503) is counted as the
// attempt's "unavailable"; every store error is rethrown.
void count_unavailable(metrics::Attempt attempt, const std::function<void()>& body);

}  // namespace service
