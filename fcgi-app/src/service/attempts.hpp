// Counting a credential check that a store outage cut short (login_attempts_total and its
// siblings, result "unavailable").
#pragma once

#include <functional>

#include "metrics/metrics.hpp"

namespace service {

// Runs body. A store failure (Redis, or PostgreSQL other than SQLSTATE class 22, which is the
// client's 400): the request's 503, counted as the attempt's "unavailable" and rethrown.
void count_unavailable(metrics::Attempt attempt, const std::function<void()>& body);

}  // namespace service
