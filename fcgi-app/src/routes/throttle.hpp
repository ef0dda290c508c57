// Turning a rate-limit verdict into the answer: an audit line and 429 with Retry-After.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "http/request.hpp"
#include "http/response.hpp"
#include "metrics/metrics.hpp"
#include "service/rate_limits.hpp"

namespace routes {

// Returns when the verdict allows the request; otherwise logs the decision (event
// "rate_limited" with what, the reason and the client), counts the attempt as throttled (locked
// for an account's hourly limit) and throws 429 with Retry-After.
void refuse_if_limited(const service::Verdict& verdict, const http::Request& req,
                       std::string_view what, std::optional<metrics::Attempt> attempt = {});

// Runs the body of a login or registration; a store failure (the request's 503) is counted as
// that attempt's "unavailable" and rethrown.
http::Response count_unavailable(metrics::Attempt attempt,
                                 const std::function<http::Response()>& body);

}  // namespace routes
