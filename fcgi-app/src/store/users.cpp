// All SQL about users.
#include "store/users.hpp"

#include <string_view>

namespace store {
namespace {

// Times leave the database already in RFC 3339 UTC, so no layer above parses them.
constexpr std::string_view kUserColumns =
    "id, username, display_name, email, array_to_string(roles, ','), enabled, "
    "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
    "to_char(last_login_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

std::vector<std::string> split_roles(const std::string& text) {
    std::vector<std::string> roles;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t comma = text.find(',', pos);
        if (comma == std::string::npos) comma = text.size();
        if (comma > pos) roles.push_back(text.substr(pos, comma - pos));
        pos = comma + 1;
    }
    return roles;
}

User user_from_row(const PGresult* r, int row) {
    User u;
    u.id = std::stoll(*pg_value(r, row, 0));
    u.username = *pg_value(r, row, 1);
    u.display_name = *pg_value(r, row, 2);
    u.email = pg_value(r, row, 3);
    u.roles = split_roles(pg_value(r, row, 4).value_or(""));
    u.enabled = pg_value(r, row, 5) == "t";
    u.created_at = *pg_value(r, row, 6);
    u.updated_at = *pg_value(r, row, 7);
    u.last_login_at = pg_value(r, row, 8);
    return u;
}

}  // namespace

UserStore::UserStore(Pg& pg) : pg_(pg) {
    const std::string cols(kUserColumns);
    pg_.define("user_by_id", "SELECT " + cols + " FROM users WHERE id = $1");
    pg_.define("credentials_by_username",
               "SELECT id, password_hash, enabled FROM users WHERE lower(username) = lower($1)");
    pg_.define("record_login",
               "UPDATE users SET last_login_at = now(), "
               "password_hash = COALESCE($2, password_hash) WHERE id = $1");
    pg_.define("update_profile",
               "UPDATE users SET display_name = COALESCE($2, display_name), "
               "email = CASE WHEN $3::boolean THEN $4 ELSE email END, updated_at = now() "
               "WHERE id = $1 RETURNING " + cols);
}

std::optional<User> UserStore::find_by_id(int64_t id) {
    auto r = pg_.exec("user_by_id", {std::to_string(id)});
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return user_from_row(r.get(), 0);
}

std::optional<Credentials> UserStore::find_credentials(const std::string& username) {
    auto r = pg_.exec("credentials_by_username", {username});
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return Credentials{std::stoll(*pg_value(r.get(), 0, 0)), *pg_value(r.get(), 0, 1),
                       pg_value(r.get(), 0, 2) == "t"};
}

void UserStore::record_login(int64_t id, const std::optional<std::string>& new_hash) {
    pg_.exec("record_login", {std::to_string(id), new_hash});
}

std::optional<User> UserStore::update_profile(int64_t id, const ProfileChange& change) {
    const bool set_email = change.email.has_value();
    auto r = pg_.exec("update_profile",
                      {std::to_string(id), change.display_name, set_email ? "true" : "false",
                       set_email ? *change.email : std::nullopt});
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return user_from_row(r.get(), 0);
}

}  // namespace store
