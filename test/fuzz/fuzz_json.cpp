// Fuzzes JSON bodies: util::json_parse (duplicates refused, depth bounded), then what the
// handlers do with a body: routes::read_json_object (media type, UTF-8, object, known keys),
// routes::json_string_field and routes::read_user_change.
#include <cstdint>

#include "fuzz_support.hpp"
#include "routes/body.hpp"
#include "service/validation.hpp"
#include "util/json.hpp"
#include "util/text.hpp"

namespace {

constexpr int kMaxDepth = 16;

int depth(const json_t* v) {
    int deepest = 0;
    const char* key;
    json_t* child;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(const_cast<json_t*>(v), key, child) deepest = std::max(deepest, depth(child));
        return deepest + 1;
    }
    if (json_is_array(v)) {
        json_array_foreach(v, i, child) deepest = std::max(deepest, depth(child));
        return deepest + 1;
    }
    return 0;
}

// Every string (keys included) that Jansson hands over is valid UTF-8 without NUL.
void check_strings(const json_t* v) {
    const char* key;
    json_t* child;
    size_t i;
    if (json_is_string(v)) {
        const std::string_view s(json_string_value(v), json_string_length(v));
        FUZZ_CHECK(util::is_valid_utf8(s) && s.find('\0') == std::string_view::npos);
    } else if (json_is_object(v)) {
        json_object_foreach(const_cast<json_t*>(v), key, child) {
            FUZZ_CHECK(util::is_valid_utf8(key));
            check_strings(child);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, child) check_strings(child);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text = fuzz::as_text(data, size);

    std::string why;
    if (auto doc = util::json_parse(text, &why, kMaxDepth)) {
        FUZZ_CHECK(depth(doc->get()) <= kMaxDepth);
        check_strings(doc->get());
        // Round trip: dump and parse again gives an equal document.
        const std::string dumped = util::json_dump(doc->get());
        auto again = util::json_parse(dumped, &why, kMaxDepth);
        FUZZ_CHECK(again && json_equal(doc->get(), again->get()));
    } else {
        FUZZ_CHECK(!why.empty());
        // The reason is a position only: it must never quote the input (it may be a password).
        FUZZ_CHECK(why.find('"') == std::string::npos);
    }

    http::Request req;
    req.method = "PATCH";
    req.path = "/api/v1/users/1";
    req.headers["content-type"] = "application/json";
    req.body = std::string(text);
    fuzz::expect_ok_or_4xx([&] {
        auto doc = routes::read_json_object(req, {"display_name", "email", "enabled", "roles"});
        FUZZ_CHECK(json_is_object(doc.get()));
        FUZZ_CHECK(depth(doc.get()) <= kMaxDepth);
        if (auto name = routes::json_string_field(doc.get(), "display_name"))
            FUZZ_CHECK(util::is_valid_utf8(*name));
        const model::UserChange change = routes::read_user_change(doc.get());
        FUZZ_CHECK(change.display_name || change.email || change.enabled || change.roles);
        if (change.display_name) FUZZ_CHECK(!service::check_display_name(*change.display_name));
        if (change.email && *change.email) FUZZ_CHECK(!service::check_email(**change.email));
        if (change.roles) {
            FUZZ_CHECK(!change.roles->empty() && change.roles->size() <= 2);
            for (const auto& role : *change.roles) FUZZ_CHECK(service::is_known_role(role));
        }
    });
    return 0;
}
