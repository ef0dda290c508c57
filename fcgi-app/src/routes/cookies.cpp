// Our cookies and their attributes.
#include "routes/cookies.hpp"

#include "http/parse.hpp"

namespace routes {

Cookies::Cookies(bool always_secure, int known_device_days)
    : always_secure_(always_secure), known_device_days_(known_device_days) {}

bool Cookies::secure(const http::Request& req) const {
    return always_secure_ || req.scheme == "https";
}

std::optional<std::string> Cookies::get(const http::Request& req, std::string_view name) const {
    auto header = req.header("cookie");
    if (!header) return std::nullopt;
    const std::string full = (secure(req) ? "__Host-" : "") + std::string(name);
    const auto cookies = http::parse_cookies(*header);
    auto value = http::find_field(cookies, full);
    if (!value) return std::nullopt;
    return std::string(*value);
}

std::string Cookies::header(const http::Request& req, std::string_view name,
                            std::string_view value, std::string_view attributes) const {
    const bool is_secure = secure(req);
    std::string v = is_secure ? "__Host-" : "";
    v += name;
    v += '=';
    v += value;
    v += "; Path=/";
    v += attributes;
    v += "; HttpOnly; SameSite=Lax";
    if (is_secure) v += "; Secure";
    return v;
}

std::string Cookies::session(const http::Request& req, std::string_view id) const {
    return header(req, "sid", id, "");
}

std::string Cookies::clear_session(const http::Request& req) const {
    return header(req, "sid", "", "; Max-Age=0");
}

std::string Cookies::device(const http::Request& req, std::string_view token) const {
    return header(req, "did", token, "; Max-Age=" + std::to_string(known_device_days_ * 86400));
}

std::string Cookies::mfa_pending(const http::Request& req, std::string_view token,
                                 int seconds) const {
    return header(req, "mfa", token, "; Max-Age=" + std::to_string(seconds));
}

std::string Cookies::clear_mfa_pending(const http::Request& req) const {
    return header(req, "mfa", "", "; Max-Age=0");
}

}  // namespace routes
