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

std::optional<std::string> canonical_username(std::string_view typed) {
    std::string canonical = util::ascii_lower(typed);
    if (check_username(canonical)) return std::nullopt;
    return canonical;
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

namespace {

// Zero-width and bidirectional formatting characters: they let one name pass for another
// ("Admin One" + U+202E...) or hide a name altogether.
bool is_invisible_format(char32_t c) {
    return (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
           (c >= 0x2060 && c <= 0x2069) || c == 0xfeff;
}

// Characters that draw nothing: Unicode's white space, the formatting characters above, and the
// other default-ignorable or blank-looking ones (soft hyphen, fillers, variation selectors, tags,
// the blank Braille pattern).
bool is_blank(char32_t c) {
    return c == ' ' || c == 0x85 || c == 0xa0 || c == 0xad || c == 0x34f || c == 0x61c ||
           c == 0x115f || c == 0x1160 || c == 0x1680 || c == 0x17b4 || c == 0x17b5 ||
           (c >= 0x180b && c <= 0x180f) || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
           c == 0x2029 || c == 0x202f || c == 0x205f || (c >= 0x206a && c <= 0x206f) ||
           c == 0x2800 || c == 0x3000 || c == 0x3164 || (c >= 0xfe00 && c <= 0xfe0f) ||
           c == 0xffa0 || (c >= 0x1d173 && c <= 0x1d17a) || (c >= 0xe0000 && c <= 0xe0fff) ||
           is_invisible_format(c);
}

}  // namespace

std::optional<model::Message> check_display_name(std::string_view value) {
    if (!util::is_valid_utf8(value)) return MessageId::display_name_utf8;
    if (util::has_control_chars(value) || util::has_unicode_controls(value))
        return MessageId::display_name_controls;
    const std::u32string chars = util::utf8_code_points(value);
    for (char32_t c : chars)
        if (is_invisible_format(c))
            return MessageId::display_name_invisible;
    bool visible = false;
    for (char32_t c : chars) visible = visible || !is_blank(c);
    if (!visible) return MessageId::display_name_required;
    if (chars.size() > 100) return MessageId::display_name_too_long;
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
