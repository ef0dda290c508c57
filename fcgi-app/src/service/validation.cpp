// Validation of the profile fields people type.
#include "service/validation.hpp"

#include "util/text.hpp"

namespace service {

std::optional<std::string> check_display_name(std::string_view value) {
    if (!util::is_valid_utf8(value)) return "Display name must be valid UTF-8.";
    if (util::has_control_chars(value)) return "Display name must not contain control characters.";
    if (value.find_first_not_of(' ') == std::string_view::npos)
        return "Display name is required.";
    if (util::utf8_length(value) > 100) return "Display name must be at most 100 characters.";
    return std::nullopt;
}

std::optional<std::string> check_email(std::string_view value) {
    constexpr const char* kShape = "Email must look like name@example.com.";
    if (value.size() > 254) return "Email must be at most 254 characters.";
    if (!util::is_valid_utf8(value) || util::has_control_chars(value)) return kShape;
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
