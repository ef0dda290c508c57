// Validation of the profile fields people type. Each check returns the message to show, or
// nullopt when the value is acceptable.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace service {

constexpr size_t kMaxUsernameBytes = 32;
constexpr size_t kMaxPasswordChars = 128;

// 1 to 100 characters of valid UTF-8, no control characters, not only spaces.
std::optional<std::string> check_display_name(std::string_view value);

// A plausible address: at most 254 bytes, one '@', a dotted domain, no spaces or controls.
std::optional<std::string> check_email(std::string_view value);

}  // namespace service
