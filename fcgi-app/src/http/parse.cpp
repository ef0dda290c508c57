// Parsers for the attacker-controlled parts of a request: query strings, form bodies, cookies.
#include "http/parse.hpp"

#include "http/error.hpp"
#include "util/text.hpp"

namespace http {

Fields parse_urlencoded(std::string_view text, size_t max_fields) {
    Fields fields;
    size_t pos = 0;
    while (pos <= text.size()) {
        size_t amp = text.find('&', pos);
        if (amp == std::string_view::npos) amp = text.size();
        std::string_view piece = text.substr(pos, amp - pos);
        pos = amp + 1;
        if (piece.empty()) continue;
        if (fields.size() == max_fields) throw Error::bad_request(model::MessageId::too_many_fields);
        const size_t eq = piece.find('=');
        auto name = util::url_decode(piece.substr(0, eq), true);
        auto value = util::url_decode(eq == std::string_view::npos ? "" : piece.substr(eq + 1), true);
        if (!name || !value) throw Error::bad_request(model::MessageId::malformed_percent_encoding);
        if (!util::is_valid_utf8(*name) || !util::is_valid_utf8(*value))
            throw Error::bad_request(model::MessageId::fields_not_utf8);
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
        std::string_view piece = util::trim(header.substr(pos, semi - pos));
        pos = semi + 1;
        const size_t eq = piece.find('=');
        if (eq == std::string_view::npos || eq == 0) continue;
        std::string_view value = util::trim(piece.substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        cookies.emplace_back(std::string(util::trim(piece.substr(0, eq))), std::string(value));
    }
    return cookies;
}

std::optional<std::string_view> find_field(const Fields& fields, std::string_view name) {
    for (const auto& [k, v] : fields)
        if (k == name) return std::string_view(v);
    return std::nullopt;
}

}  // namespace http
