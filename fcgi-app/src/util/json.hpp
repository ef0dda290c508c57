// RAII ownership of Jansson values and the few helpers every JSON reader and writer needs.
#pragma once

#include <jansson.h>

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

// Builds a JSON string value from UTF-8 text (the caller guarantees valid UTF-8).
json_t* json_str(std::string_view text);

}  // namespace util
