// The one JSON shape of a user, shared by the API, the profile cache and the pages.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/user.hpp"
#include "util/json.hpp"

namespace service {

// {"id","username","display_name","email","email_verified","roles","enabled","created_at",
// "updated_at","last_login_at"}: never a hash, because model::User has none.
util::Json user_to_json(const model::User& user);

// The cached form: user_to_json plus what only the server needs (the session generation,
// whether a second factor is on, the language for mails).
std::string user_to_cache_text(const model::User& user);

// Reads what user_to_json or user_to_cache_text wrote; nullopt if the text is not such a
// document.
std::optional<model::User> user_from_json_text(std::string_view text);

}  // namespace service
