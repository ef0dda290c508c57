// The HTML pages the workers render, in the request's language (routes/i18n.hpp). Templates are
// parsed once per process; every value is escaped by util::Template. Every form that posts carries
// a csrf_token hidden field: pages of a session take its token (routes/csrf.hpp); the anonymous
// registration form renders it empty (registration needs no session, hence no token).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "routes/i18n.hpp"
#include "service/sessions.hpp"
#include "model/user.hpp"
#include "service/validation.hpp"

namespace routes {

// Content in the one layout of every page: the header with the language switch (which comes
// back to next), the stylesheet, the skip link. content is trusted markup.
std::string render_page(Lang lang, std::string_view title, std::string_view next,
                        const std::string& content);

// One labelled input with its error from errors (translated), tied together for screen
// readers. attrs is trusted markup.
std::string render_field(Lang lang, std::string_view name, std::string_view label,
                         std::string_view type, std::string_view value, std::string_view attrs,
                         const service::FieldErrors& errors);

// The personalized home page; banner is trusted markup shown above the profile.
std::string render_home(Lang lang, const model::User& user, std::string_view csrf_token,
                        std::string_view banner = {});

// The profile form, with the submitted values and the errors when re-shown. Changing the
// email address needs the current password.
std::string render_profile_form(Lang lang, std::string_view display_name, std::string_view email,
                                const service::FieldErrors& errors, std::string_view csrf_token);

// The registration form re-shown with the typed values (never the password) and errors.
std::string render_register_form(Lang lang, std::string_view username,
                                 std::string_view display_name, std::string_view email,
                                 const service::FieldErrors& errors);

// The password change form, with errors when re-shown.
std::string render_password_form(Lang lang, const service::FieldErrors& errors, std::string_view csrf_token);

// The user's sessions, each with a form that ends it, and one that ends all the others.
std::string render_sessions(Lang lang, const std::vector<service::SessionInfo>& sessions,
                            std::string_view csrf_token);

// The admin page: a search form (query: the username or email prefix searched for, "" for
// none), the newest matching users with a link to each one's page, and a link to older ones
// when there are more.
std::string render_admin(Lang lang, const std::vector<model::User>& users,
                         std::optional<int64_t> older_than, std::string_view query = {});

// A page for an error status: its title and explanation, the message in the page's language
// (or an English-only detail, on English pages only), and a link back home.
std::string render_error_page(Lang lang, int status, const std::optional<model::Message>& message,
                              std::string_view english_detail = "");

}  // namespace routes
