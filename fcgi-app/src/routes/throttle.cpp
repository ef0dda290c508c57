// 429 answers for rate limits.
#include "routes/throttle.hpp"

#include <string>

#include "http/error.hpp"
#include "util/log.hpp"

namespace routes {

void refuse_if_limited(const service::Verdict& verdict, const http::Request& req,
                       std::string_view what) {
    if (verdict.allowed) return;
    const std::string retry = std::to_string(verdict.retry_after_seconds);
    util::log(util::LogLevel::warn, "rate_limited",
              {{"request_id", req.request_id},
               {"client_ip", req.remote_addr},
               {"limit", what},
               {"reason", verdict.reason},
               {"retry_after", retry}});
    throw http::Error::too_many_requests(verdict.retry_after_seconds);
}

}  // namespace routes
