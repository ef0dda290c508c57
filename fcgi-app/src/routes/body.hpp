// Reading request bodies as forms or JSON objects, with the 4xx each mistake deserves.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/parse.hpp"
#include "http/request.hpp"
#include "model/user.hpp"
#include "util/json.hpp"

namespace routes {

// Parses an application/x-www-form-urlencoded body (415 for another Content-Type, 400 on
// malformed input).
http::Fields read_form(const http::Request& req);

// Parses a JSON object body (415 for another Content-Type, 400 for malformed JSON or a
// non-object document, 400 naming a key outside `allowed`).
util::Json read_json_object(const http::Request& req,
                            std::initializer_list<std::string_view> allowed);

// The string member `key` of obj: nullopt when absent, 422 when present but not a string.
std::optional<std::string> json_string_field(const json_t* obj, const char* key);

// The changes a JSON body asks for: display_name (string), email (string, or null / "" to
// clear), enabled (boolean), roles (non-empty array of "admin" / "user"); 422 for a wrong type
// or an invalid value, or when nothing would change. Which keys may appear at all is decided
// by read_json_object's `allowed`.
model::UserChange read_user_change(const json_t* doc);

// True for the form media type; false for JSON; 415 for anything else.
bool is_form_body(const http::Request& req);

}  // namespace routes
