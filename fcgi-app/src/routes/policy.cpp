// Names of the policy values, for `login-fcgi routes` and the tests.
#include "routes/policy.hpp"

namespace routes {

std::string_view name(Pool pool) { return pool == Pool::app ? "app" : "auth"; }

std::string_view name(Access access) {
    switch (access) {
        case Access::anonymous: return "anonymous";
        case Access::session_page: return "session-page";
        case Access::session_api: return "session-api";
        case Access::admin_page: return "admin-page";
        case Access::client: return "client";
    }
    return "?";
}

std::string_view name(Csrf csrf) {
    switch (csrf) {
        case Csrf::none: return "none";
        case Csrf::same_origin: return "same-origin";
        case Csrf::form_token: return "form-token";
    }
    return "?";
}

}  // namespace routes
