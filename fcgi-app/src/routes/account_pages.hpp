// The pages of password recovery and email verification, and the home page's banner about an
// unconfirmed address.
#pragma once

#include <string>
#include <string_view>

#include "model/user.hpp"
#include "routes/i18n.hpp"
#include "service/validation.hpp"

namespace routes {

// The "forgot your password" form, with the typed value and errors when re-shown.
std::string render_forgot_form(Lang lang, std::string_view identifier,
                               const service::FieldErrors& errors);

// A page that says one thing: a title, a sentence, and one link onwards (all in lang; text
// is plain text).
std::string render_message_page(Lang lang, std::string_view title, std::string_view text,
                                 std::string_view href, std::string_view link_label);

// The new-password form of a reset link (the token travels in a hidden field).
std::string render_reset_form(Lang lang, std::string_view token,
                              const service::FieldErrors& errors);

// The home page's banner: nothing for a confirmed address; else a note with a form that sends
// the link again. state: "" (the plain note), "sent" (a new link went out), "pending" (a new
// address waits for its link).
std::string render_email_banner(Lang lang, const model::User& user, std::string_view state,
                                std::string_view csrf_token);

}  // namespace routes
