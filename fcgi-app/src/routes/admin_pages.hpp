// The admin's page of one user: profile, roles, state, second factor, last login, sessions,
// and a form per action.
#pragma once

#include <string>
#include <string_view>

#include "model/user.hpp"
#include "routes/i18n.hpp"

namespace routes {

struct AdminUserView {
    model::User user;
    size_t active_sessions = 0;
    bool is_self = false;  // the admin's own account: the disable button is not offered
    std::string notice;    // what the last action did ("" for nothing), already in the language
    bool notice_is_error = false;
};

std::string render_admin_user(Lang lang, const AdminUserView& view, std::string_view csrf_token);

}  // namespace routes
