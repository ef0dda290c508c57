// Reading request bodies as forms or JSON objects.
#include "routes/body.hpp"

#include <algorithm>

#include "http/error.hpp"
#include "service/validation.hpp"
#include "util/text.hpp"

namespace routes {

bool is_form_body(const http::Request& req) {
    const std::string type = req.media_type();
    if (type == "application/x-www-form-urlencoded") return true;
    if (type == "application/json") return false;
    throw http::Error::unsupported_media_type(
        "Send application/x-www-form-urlencoded or application/json.");
}

http::Fields read_form(const http::Request& req) {
    if (req.media_type() != "application/x-www-form-urlencoded")
        throw http::Error::unsupported_media_type(model::MessageId::send_a_form);
    return http::parse_urlencoded(req.body);
}

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

namespace routes {

model::UserChange read_user_change(const json_t* doc) {
    model::UserChange change;
    if (auto name = json_string_field(doc, "display_name")) {
        if (auto error = service::check_display_name(*name)) throw http::Error::unprocessable(*error);
        change.display_name = std::move(*name);
    }
    if (json_t* email = json_object_get(doc, "email")) {
        auto value = json_is_null(email) ? std::string() : json_string_field(doc, "email").value();
        if (value.empty()) {
            change.email = std::optional<std::string>{};
        } else {
            if (auto error = service::check_email(value)) throw http::Error::unprocessable(*error);
            change.email = std::move(value);
        }
    }
    if (json_t* enabled = json_object_get(doc, "enabled")) {
        if (!json_is_boolean(enabled)) throw http::Error::unprocessable("enabled must be true or false.");
        change.enabled = json_is_true(enabled);
    }
    if (json_t* roles = json_object_get(doc, "roles")) {
        if (!json_is_array(roles) || json_array_size(roles) == 0)
            throw http::Error::unprocessable("roles must be a non-empty array.");
        std::vector<std::string> names;
        size_t i;
        json_t* role;
        json_array_foreach(roles, i, role) {
            const char* name = json_string_value(role);
            if (!name || !service::is_known_role(name))
                throw http::Error::unprocessable("roles may only hold \"admin\" and \"user\".");
            if (std::find(names.begin(), names.end(), name) == names.end()) names.emplace_back(name);
        }
        change.roles = std::move(names);
    }
    if (!change.display_name && !change.email && !change.enabled && !change.roles)
        throw http::Error::unprocessable("Nothing to change: send at least one field.");
    return change;
}

}  // namespace routes
