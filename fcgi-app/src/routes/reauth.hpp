// Turning a re-authentication outcome (service::Reauth) into the answer.
#pragma once

#include <string_view>

#include "http/request.hpp"
#include "routes/app.hpp"
#include "store/users.hpp"

namespace routes {

// True when password is the user's current password; false for a wrong one (the caller shows
// its field error). Throws 429 with Retry-After when the account's limit refuses the attempt,
// and 401 (clearing the session cookie) when this session has just been ended for sending too
// many wrong passwords. purpose names the change for the audit line ("email_change").
bool reauthenticate(App& app, const http::Request& req, const store::User& user,
                    std::string_view password, std::string_view purpose);

}  // namespace routes
