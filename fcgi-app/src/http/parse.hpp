// Parsers for the attacker-controlled parts of a request: query strings, form bodies, cookies.
// Each one bounds its work and throws http::Error (400) on malformed input.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace http {

// Ordered name/value pairs as they appeared; names may repeat.
using Fields = std::vector<std::pair<std::string, std::string>>;

// Parses application/x-www-form-urlencoded text (also query strings). Throws 400 on a bad
// escape, invalid UTF-8 or more than max_fields fields.
Fields parse_urlencoded(std::string_view text, size_t max_fields = 32);

// Parses a Cookie header into name/value pairs; malformed pieces are skipped, as browsers do.
Fields parse_cookies(std::string_view header);

// The value of the first field with this name, or nullopt.
std::optional<std::string_view> find_field(const Fields& fields, std::string_view name);

}  // namespace http
