// RAII ownership of Jansson values and the few helpers every JSON reader and writer needs.
#pragma once

#include <jansson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace util {

struct JsonDecref {
    void operator()(json_t* j) const noexcept { json_decref(j); }
};
// Owns one reference to a json_t.
using Json = std::unique_ptr<json_t, JsonDecref>;

// Parses a JSON document no deeper than max_depth; nullopt (with a reason in *error) when
// the text is not valid JSON, not UTF-8, or nested too deeply.
std::optional<Json> json_parse(std::string_view text, std::string* error, int max_depth = 16);

// Serializes compactly, keys in insertion order.
std::string json_dump(const json_t* value);

// Values, each owned from birth: build documents with these, so nothing leaks when something
// throws half way. json_str takes UTF-8 text (the caller guarantees it is valid).
Json json_str(std::string_view text);
Json json_object_value();
Json json_array_value();
Json json_int(int64_t value);
Json json_bool(bool value);
Json json_null_value();
// A string, or null for an empty optional.
Json json_str_or_null(const std::optional<std::string>& text);

// Adds value to an object under key, or to the end of an array; both take the value over.
void json_set(Json& object, const char* key, Json value);
void json_append(Json& array, Json value);

}  // namespace util
