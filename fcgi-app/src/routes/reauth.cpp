// Re-authentication answers: a field error, 429, or 401 once the session has been ended.
#include "routes/reauth.hpp"

#include "http/error.hpp"
#include "routes/throttle.hpp"

namespace routes {

bool reauthenticate(App& app, const http::Request& req, const store::User& user,
                    std::string_view password, std::string_view purpose) {
    const std::string sid = app.session_cookie(req).value_or("");
    const auto outcome =
        app.reauth.check(user, password, {purpose, sid, req.remote_addr, req.request_id});
    using Result = service::ReauthOutcome::Result;
    switch (outcome.result) {
        case Result::confirmed:
            return true;
        case Result::wrong_password:
            return false;
        case Result::limited:
            refuse_if_limited(outcome.verdict, req, "reauth");
            return false;  // not reached: a refused verdict throws
        case Result::session_ended:
            break;
    }
    throw http::Error(401, "session_ended",
                      "Too many wrong passwords: this session has ended. Log in again.",
                      {{"Set-Cookie", app.clear_cookie_header(req)}});
}

}  // namespace routes
