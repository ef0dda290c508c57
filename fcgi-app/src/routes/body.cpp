// Reading request bodies as forms or JSON objects.
#include "routes/body.hpp"

#include "http/error.hpp"
#include "util/text.hpp"

namespace routes {

bool is_form_body(const http::Request& req) {
    const std::string type = req.media_type();
    if (type == "application/x-www-form-urlencoded") return true;
    if (type == "application/json") return false;
    throw http::Error::unsupported_media_type(
        "Send application/x-www-form-urlencoded or application/json.");
}

http::Fields read_form(const http::Request& req) { return http::parse_urlencoded(req.body); }

util::Json read_json_object(const http::Request& req,
                            std::initializer_list<std::string_view> allowed) {
    const std::string type = req.media_type();
    if (type != "application/json" && type != "application/merge-patch+json")
        throw http::Error::unsupported_media_type("Send application/json.");
    if (!util::is_valid_utf8(req.body)) throw http::Error::bad_request("Body must be valid UTF-8.");
    std::string why;
    auto doc = util::json_parse(req.body, &why);
    if (!doc) throw http::Error::bad_request("Malformed JSON (" + why + ").");
    if (!json_is_object(doc->get())) throw http::Error::bad_request("Body must be a JSON object.");
    const char* key;
    json_t* value;
    json_object_foreach(doc->get(), key, value) {
        bool known = false;
        for (auto name : allowed) known = known || name == key;
        if (!known) throw http::Error::bad_request(std::string("Unknown field: ") + key);
    }
    return std::move(*doc);
}

std::optional<std::string> json_string_field(const json_t* obj, const char* key) {
    json_t* v = json_object_get(obj, key);
    if (!v) return std::nullopt;
    if (!json_is_string(v)) throw http::Error::unprocessable(std::string(key) + " must be a string.");
    return std::string(json_string_value(v), json_string_length(v));
}

}  // namespace routes
