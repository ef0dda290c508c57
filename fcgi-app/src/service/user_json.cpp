// The one JSON shape of a user.
#include "service/user_json.hpp"

#include "util/json.hpp"

namespace service {
namespace {

std::optional<std::string> read_string(json_t* obj, const char* key) {
    json_t* v = json_object_get(obj, key);
    if (!json_is_string(v)) return std::nullopt;
    return std::string(json_string_value(v), json_string_length(v));
}

}  // namespace

util::Json user_to_json(const model::User& u) {
    using namespace util;
    Json roles = json_array_value();
    for (const auto& r : u.roles) json_append(roles, json_str(r));
    Json obj = json_object_value();
    json_set(obj, "id", json_int(u.id));
    json_set(obj, "username", json_str(u.username));
    json_set(obj, "display_name", json_str(u.display_name));
    json_set(obj, "email", json_str_or_null(u.email));
    json_set(obj, "email_verified", json_bool(u.email_verified));
    json_set(obj, "roles", std::move(roles));
    json_set(obj, "enabled", json_bool(u.enabled));
    json_set(obj, "created_at", json_str(u.created_at));
    json_set(obj, "updated_at", json_str(u.updated_at));
    json_set(obj, "last_login_at", json_str_or_null(u.last_login_at));
    return obj;
}

std::string user_to_cache_text(const model::User& user) {
    util::Json doc = user_to_json(user);
    util::json_set(doc, "session_generation", util::json_int(user.session_generation));
    util::json_set(doc, "mfa_enabled", util::json_bool(user.mfa_enabled));
    util::json_set(doc, "lang", util::json_str(user.lang));
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
