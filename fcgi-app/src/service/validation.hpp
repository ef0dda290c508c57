// Validation of the profile fields people type. Each check returns the id of the message to
// show, or nullopt when the value is acceptable.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/message.hpp"

namespace service {

// Field name → the message to show next to it (routes/i18n writes it in each language).
using FieldErrors = std::vector<std::pair<std::string, model::Message>>;

constexpr size_t kMaxUsernameBytes = 32;
constexpr size_t kMaxPasswordChars = 128;

constexpr size_t kMinPasswordChars = 12;

// True for "admin" and "user", the roles there are.
bool is_known_role(std::string_view role);

// 3 to 32 characters of [a-z0-9._-] (lower-case: usernames are unique regardless of case).
std::optional<model::Message> check_username(std::string_view value);

// The one canonical form of a username as someone typed it to log in: ASCII letters lower-cased,
// nothing else touched (no Unicode case folding, so "İ", the Kelvin sign and full-width letters
// stay what they are). nullopt when the result is not a possible username (check_username), so
// that no lookup, limit or hash is ever spent on it. The limiter, the lookup and the unique index
// all see this form.
std::optional<std::string> canonical_username(std::string_view typed);

// A password as typed to log in or to confirm a change: at most 128 characters of UTF-8 and
// no NUL. Checked before any hashing, so an oversized value costs no scrypt work.
std::optional<model::Message> check_password_input(std::string_view password);

// 12 to 128 characters of UTF-8, no NUL, and not the username; no composition rules.
std::optional<model::Message> check_new_password(std::string_view password, std::string_view username);

// 1 to 100 characters of valid UTF-8, no control characters, no invisible formatting (zero-width
// characters U+200B-U+200F, bidirectional embeddings and overrides U+202A-U+202E, U+2060-U+2069
// and U+FEFF), and at least one visible character (not only spaces or other blank characters).
std::optional<model::Message> check_display_name(std::string_view value);

// A plausible address: at most 254 bytes, one '@', a dotted domain, no spaces, no C0 or C1
// controls and no Unicode line separators.
std::optional<model::Message> check_email(std::string_view value);

}  // namespace service
