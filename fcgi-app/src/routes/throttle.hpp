// Turning a rate-limit verdict into the answer: an audit line and 429 with Retry-After.
#pragma once

#include <optional>
#include <string_view>

#include "http/request.hpp"
#include "metrics/metrics.hpp"
#include "service/rate_limits.hpp"

namespace routes {

// Returns when the verdict allows the request; otherwise logs the decision (event
// "rate_limited" with what, the reason and the client), counts the attempt as refused (throttled,
// or locked for an hourly limit of the account: service::refused_result) and throws 429 with
// Retry-After.
void refuse_if_limited(const service::Verdict& verdict, const http::Request& req,
                       std::string_view what, std::optional<metrics::Attempt> attempt = {});

}  // namespace routes
