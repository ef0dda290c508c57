// The one JSON shape of a user.
#include "service/user_json.hpp"

#include "util/json.hpp"

namespace service {
namespace {

json_t* optional_string(const std::optional<std::string>& v) {
    return v ? util::json_str(*v) : json_null();
}

std::optional<std::string> read_string(json_t* obj, const char* key) {
    json_t* v = json_object_get(obj, key);
    if (!json_is_string(v)) return std::nullopt;
    return std::string(json_string_value(v), json_string_length(v));
}

}  // namespace

json_t* user_to_json(const model::User& u) {
    json_t* roles = json_array();
    for (const auto& r : u.roles) json_array_append_new(roles, util::json_str(r));
    json_t* obj = json_object();
    json_object_set_new(obj, "id", json_integer(u.id));
    json_object_set_new(obj, "username", util::json_str(u.username));
    json_object_set_new(obj, "display_name", util::json_str(u.display_name));
    json_object_set_new(obj, "email", optional_string(u.email));
    json_object_set_new(obj, "email_verified", json_boolean(u.email_verified));
    json_object_set_new(obj, "roles", roles);
    json_object_set_new(obj, "enabled", json_boolean(u.enabled));
    json_object_set_new(obj, "created_at", util::json_str(u.created_at));
    json_object_set_new(obj, "updated_at", util::json_str(u.updated_at));
    json_object_set_new(obj, "last_login_at", optional_string(u.last_login_at));
    return obj;
}

std::string user_to_cache_text(const model::User& user) {
    util::Json doc{user_to_json(user)};
    json_object_set_new(doc.get(), "session_generation", json_integer(user.session_generation));
    json_object_set_new(doc.get(), "mfa_enabled", json_boolean(user.mfa_enabled));
    json_object_set_new(doc.get(), "lang", util::json_str(user.lang));
    return util::json_dump(doc.get());
}

std::optional<model::User> user_from_json_text(std::string_view text) {
    auto root = util::json_parse(text, nullptr);
    if (!root || !json_is_object(root->get())) return std::nullopt;
    json_t* obj = root->get();
    model::User u;
    json_t* id = json_object_get(obj, "id");
    json_t* roles = json_object_get(obj, "roles");
    auto username = read_string(obj, "username");
    auto display_name = read_string(obj, "display_name");
    auto created = read_string(obj, "created_at");
    auto updated = read_string(obj, "updated_at");
    // A text cached before email_verified existed is no such document: read afresh.
    json_t* verified = json_object_get(obj, "email_verified");
    if (!json_is_integer(id) || !json_is_array(roles) || !username || !display_name ||
        !created || !updated || !json_is_boolean(verified))
        return std::nullopt;
    u.id = json_integer_value(id);
    u.username = std::move(*username);
    u.display_name = std::move(*display_name);
    u.email = read_string(obj, "email");
    u.email_verified = json_is_true(verified);
    u.mfa_enabled = json_is_true(json_object_get(obj, "mfa_enabled"));
    u.lang = read_string(obj, "lang").value_or("");
    size_t i;
    json_t* role;
    json_array_foreach(roles, i, role) {
        if (json_is_string(role)) u.roles.emplace_back(json_string_value(role));
    }
    u.enabled = json_is_true(json_object_get(obj, "enabled"));
    u.created_at = std::move(*created);
    u.updated_at = std::move(*updated);
    u.last_login_at = read_string(obj, "last_login_at");
    json_t* generation = json_object_get(obj, "session_generation");
    if (json_is_integer(generation)) u.session_generation = static_cast<int>(json_integer_value(generation));
    return u;
}

}  // namespace service
