// Parsers for the attacker-controlled parts of a request: query strings, form bodies, cookies.
#include "http/parse.hpp"

#include "http/error.hpp"
#include "util/text.hpp"

namespace http {
namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<std::string> url_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            const int hi = hex_value(text[i + 1]);
            const int lo = hex_value(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

std::string url_encode(std::string_view text) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
            u == '-' || u == '.' || u == '_' || u == '~') {
            out += c;
        } else {
            out += '%';
            out += kDigits[u >> 4];
            out += kDigits[u & 15];
        }
    }
    return out;
}

Fields parse_urlencoded(std::string_view text, size_t max_fields) {
    Fields fields;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t amp = text.find('&', pos);
        if (amp == std::string_view::npos) amp = text.size();
        std::string_view piece = text.substr(pos, amp - pos);
        pos = amp + 1;
        if (piece.empty()) continue;
        if (fields.size() == max_fields) throw Error::bad_request("Too many fields.");
        const size_t eq = piece.find('=');
        auto name = url_decode(piece.substr(0, eq), true);
        auto value = url_decode(eq == std::string_view::npos ? "" : piece.substr(eq + 1), true);
        if (!name || !value) throw Error::bad_request("Malformed percent-encoding.");
        if (!util::is_valid_utf8(*name) || !util::is_valid_utf8(*value))
            throw Error::bad_request("Fields must be valid UTF-8.");
        fields.emplace_back(std::move(*name), std::move(*value));
    }
    return fields;
}

Fields parse_cookies(std::string_view header) {
    Fields cookies;
    size_t pos = 0;
    while (pos < header.size() && cookies.size() < 64) {
        size_t semi = header.find(';', pos);
        if (semi == std::string_view::npos) semi = header.size();
        std::string_view piece = trim(header.substr(pos, semi - pos));
        pos = semi + 1;
        const size_t eq = piece.find('=');
        if (eq == std::string_view::npos || eq == 0) continue;
        std::string_view value = trim(piece.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        cookies.emplace_back(std::string(trim(piece.substr(0, eq))), std::string(value));
    }
    return cookies;
}

std::optional<std::string_view> find_field(const Fields& fields, std::string_view name) {
    for (const auto& [k, v] : fields)
        if (k == name) return std::string_view(v);
    return std::nullopt;
}

}  // namespace http
