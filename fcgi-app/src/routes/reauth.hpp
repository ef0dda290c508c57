// Turning the re-authentication part of an account change (service::ReauthOutcome) into the
// answer when it is neither a success nor a plain wrong password.
#pragma once

#include "routes/context.hpp"
#include "service/reauth.hpp"

namespace routes {

// The attempt the request makes: its session, client address and request id, for purpose
// ("email_change", "password_change").
service::ReauthAttempt reauth_attempt(const Context& ctx, std::string_view purpose);

// Returns when outcome is confirmed or a wrong password (the caller shows the field error);
// throws 429 with Retry-After when the account's limit refused the attempt, and 401 (clearing
// the session cookie) when this session has just been ended for too many wrong passwords.
void refuse_unless_reauthenticated(const Context& ctx, const service::ReauthOutcome& outcome);

}  // namespace routes
