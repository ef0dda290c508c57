// RAII ownership of Jansson values and the few helpers every JSON reader and writer needs.
#include "util/json.hpp"

#include <cstdlib>

namespace util {
namespace {

struct Free {
    void operator()(char* p) const noexcept { std::free(p); }
};

int depth_of(const json_t* v) {
    int deepest = 0;
    if (json_is_object(v)) {
        const char* key;
        json_t* child;
        json_object_foreach(const_cast<json_t*>(v), key, child) {
            const int d = depth_of(child);
            if (d > deepest) deepest = d;
        }
        return deepest + 1;
    }
    if (json_is_array(v)) {
        size_t i;
        json_t* child;
        json_array_foreach(v, i, child) {
            const int d = depth_of(child);
            if (d > deepest) deepest = d;
        }
        return deepest + 1;
    }
    return 0;
}

}  // namespace

std::optional<Json> json_parse(std::string_view text, std::string* error, int max_depth) {
    json_error_t err;
    // JSON_REJECT_DUPLICATES: {"a":1,"a":2} is ambiguous, so refuse it rather than guess.
    Json root{json_loadb(text.data(), text.size(), JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err)};
    if (!root) {
        // Position only: the parser's own text quotes the input, which may hold a password.
        if (error)
            *error = "at line " + std::to_string(err.line) + ", column " +
                     std::to_string(err.column);
        return std::nullopt;
    }
    // Jansson nests up to 2048 levels; our bodies are flat, so anything deep is hostile.
    if (depth_of(root.get()) > max_depth) {
        if (error) *error = "nested more than " + std::to_string(max_depth) + " levels deep";
        return std::nullopt;
    }
    return root;
}

std::string json_dump(const json_t* value) {
    std::unique_ptr<char, Free> text{json_dumps(value, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY)};
    return text ? std::string(text.get()) : std::string("null");
}

Json json_str(std::string_view text) { return Json(json_stringn(text.data(), text.size())); }
Json json_object_value() { return Json(json_object()); }
Json json_array_value() { return Json(json_array()); }
Json json_int(int64_t value) { return Json(json_integer(value)); }
Json json_bool(bool value) { return Json(json_boolean(value)); }
Json json_null_value() { return Json(json_null()); }

Json json_str_or_null(const std::optional<std::string>& text) {
    return text ? json_str(*text) : json_null_value();
}

// json_object_set_new and json_array_append_new take the reference over, even when they fail.
void json_set(Json& object, const char* key, Json value) {
    json_object_set_new(object.get(), key, value.release());
}

void json_append(Json& array, Json value) { json_array_append_new(array.get(), value.release()); }

}  // namespace util
