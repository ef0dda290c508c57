// Re-authentication answers: a field error, 429, or 401 once the session has been ended.
#include "routes/reauth.hpp"

#include "http/error.hpp"
#include "routes/throttle.hpp"

namespace routes {

service::ReauthAttempt reauth_attempt(const Context& ctx, std::string_view purpose) {
    return {purpose, ctx.session_id ? std::string_view(*ctx.session_id) : std::string_view(),
            ctx.req.remote_addr, ctx.req.request_id};
}

void refuse_unless_reauthenticated(const Context& ctx, const service::ReauthOutcome& outcome) {
    using Result = service::ReauthOutcome::Result;
    if (outcome.result == Result::limited) refuse_if_limited(outcome.verdict, ctx.req, "reauth");
    if (outcome.result == Result::session_ended)
        throw http::Error(401, "session_ended", model::MessageId::reauth_session_ended,
                          {{"Set-Cookie", ctx.cookies.clear_session(ctx.req)}});
}

}  // namespace routes
