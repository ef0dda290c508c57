// The HTML pages the workers render. Templates are parsed once per process; every value is
// escaped by util::Template.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/users.hpp"

namespace routes {

// The personalized home page.
std::string render_home(const store::User& user);

// The profile form, with the submitted values and an error message when re-shown.
std::string render_profile_form(std::string_view display_name, std::string_view email,
                                std::optional<std::string_view> error);

// A small page for an error status, with a link back home.
std::string render_error_page(int status, std::string_view message);

}  // namespace routes
