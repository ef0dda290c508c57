// Validation of the profile fields people type.
#include "service/validation.hpp"

#include "util/text.hpp"

namespace service {

using model::MessageId;

bool is_known_role(std::string_view role) { return role == "admin" || role == "user"; }

std::optional<model::Message> check_username(std::string_view value) {
    if (value.size() < 3 || value.size() > kMaxUsernameBytes)
        return MessageId::username_length;
    for (char c : value)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return MessageId::username_charset;
    return std::nullopt;
}

std::optional<model::Message> check_password_input(std::string_view password) {
    if (!util::is_valid_utf8(password) || password.find('\0') != std::string_view::npos)
        return MessageId::password_invalid;
    if (util::utf8_length(password) > kMaxPasswordChars)
        return MessageId::password_too_long;
    return std::nullopt;
}

std::optional<model::Message> check_new_password(std::string_view password, std::string_view username) {
    if (auto error = check_password_input(password)) return error;
    if (util::utf8_length(password) < kMinPasswordChars)
        return MessageId::password_too_short;
    if (util::ascii_lower(password) == util::ascii_lower(username))
        return MessageId::password_is_username;
    return std::nullopt;
}

std::optional<model::Message> check_display_name(std::string_view value) {
    if (!util::is_valid_utf8(value)) return MessageId::display_name_utf8;
    if (util::has_control_chars(value) || util::has_unicode_controls(value))
        return MessageId::display_name_controls;
    if (value.find_first_not_of(' ') == std::string_view::npos)
        return MessageId::display_name_required;
    if (util::utf8_length(value) > 100) return MessageId::display_name_too_long;
    return std::nullopt;
}

std::optional<model::Message> check_email(std::string_view value) {
    constexpr model::Message kShape = MessageId::email_shape;
    if (value.size() > 254) return MessageId::email_too_long;
    // C1 controls and line separators too (found by fuzz_form): an address is shown on pages
    // next to the display name, which refuses them for the same reason.
    if (!util::is_valid_utf8(value) || util::has_control_chars(value) ||
        util::has_unicode_controls(value))
        return kShape;
    if (value.find(' ') != std::string_view::npos) return kShape;
    const size_t at = value.find('@');
    if (at == std::string_view::npos || at == 0 || at > 64 ||
        value.find('@', at + 1) != std::string_view::npos)
        return kShape;
    std::string_view domain = value.substr(at + 1);
    const size_t dot = domain.rfind('.');
    if (domain.empty() || dot == std::string_view::npos || dot == 0 || dot + 1 == domain.size() ||
        domain.find("..") != std::string_view::npos || domain.front() == '.')
        return kShape;
    return std::nullopt;
}

}  // namespace service
