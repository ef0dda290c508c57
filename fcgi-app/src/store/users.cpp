// All SQL about users.
#include "store/users.hpp"


#include <algorithm>
#include <string_view>

#include "store/errors.hpp"
#include "util/text.hpp"

namespace store {
namespace {

#define RFC3339(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

// Times leave the database already in RFC 3339 UTC, so no layer above parses them.
constexpr std::string_view kUserColumns =
    "id, username, display_name, email, array_to_string(roles, ','), enabled, " RFC3339(
        "created_at") ", " RFC3339("updated_at") ", " RFC3339("last_login_at") ", session_generation, "
        "email_verified_at IS NOT NULL, totp_enabled_at IS NOT NULL, COALESCE(lang, '')";

// Full precision, for cursors: the (updated_at, id) order must never skip or repeat a row.
constexpr std::string_view kExactUpdatedAt =
    "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";

// The column after the user's own: list_updated's exact updated_at, user_by_id_read_pool's
// "the read pool is current".
constexpr int kExactColumn = 13;
constexpr int kCurrentColumn = 13;

std::string join_roles(const std::vector<std::string>& roles) {
    std::string out;
    for (const auto& r : roles) {
        if (!out.empty()) out += ',';
        out += r;
    }
    return out;
}

User user_from_row(const PGresult* r, int row) {
    User u;
    u.id = std::stoll(*pg_value(r, row, 0));
    u.username = *pg_value(r, row, 1);
    u.display_name = *pg_value(r, row, 2);
    u.email = pg_value(r, row, 3);
    u.roles = util::split_commas(pg_value(r, row, 4).value_or(""));
    u.enabled = pg_value(r, row, 5) == "t";
    u.created_at = *pg_value(r, row, 6);
    u.updated_at = *pg_value(r, row, 7);
    u.last_login_at = pg_value(r, row, 8);
    u.session_generation = std::stoi(*pg_value(r, row, 9));
    u.email_verified = pg_value(r, row, 10) == "t";
    u.mfa_enabled = pg_value(r, row, 11) == "t";
    u.lang = pg_value(r, row, 12).value_or("");
    return u;
}

std::vector<User> users_from(const PGresult* r) {
    std::vector<User> users;
    const int n = PQntuples(r);
    users.reserve(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) users.push_back(user_from_row(r, i));
    return users;
}

std::optional<User> first_user(const PgResult& r) {
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return user_from_row(r.get(), 0);
}

Credentials credentials_from(const PGresult* r) {
    return Credentials{std::stoll(*pg_value(r, 0, 0)), *pg_value(r, 0, 1), pg_value(r, 0, 2) == "t",
                       std::stoi(*pg_value(r, 0, 3)), pg_value(r, 0, 4) == "t"};
}

std::vector<PgParam> change_params(int64_t id, const UserChange& c) {
    const bool set_email = c.email.has_value();
    return {std::to_string(id),
            c.display_name,
            set_email ? "true" : "false",
            set_email ? *c.email : std::nullopt,
            c.enabled ? PgParam(*c.enabled ? "true" : "false") : std::nullopt,
            c.roles ? PgParam(join_roles(*c.roles)) : std::nullopt};
}

}  // namespace

UserStore::UserStore(Pg& primary, Pg& read_pool) : pg_(primary), read_(read_pool) {
    const std::string cols(kUserColumns);
    const std::string exact(kExactUpdatedAt);
    pg_.define("user_by_id", "SELECT " + cols + " FROM users WHERE id = $1");
    // One row even when the user is missing, so that "current" always comes back; on a
    // primary pg_is_in_recovery() is false and the row is current by definition.
    read_.define("user_by_id_read_pool",
                 "SELECT " + cols + ", (NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() "
                 "IS NOT DISTINCT FROM pg_last_wal_replay_lsn()) "
                 "FROM (SELECT 1) one LEFT JOIN users ON users.id = $1");
    pg_.define("user_by_id_for_update", "SELECT " + cols + " FROM users WHERE id = $1 FOR UPDATE");
    pg_.define("credentials_by_username",
               "SELECT id, password_hash, enabled, session_generation, "
               "totp_enabled_at IS NOT NULL FROM users WHERE lower(username) = $1");
    pg_.define("credentials_by_id",
               "SELECT id, password_hash, enabled, session_generation, "
               "totp_enabled_at IS NOT NULL FROM users WHERE id = $1");
    pg_.define("record_login",
               "UPDATE users SET last_login_at = now(), updated_at = now(), "
               "password_hash = COALESCE($2, password_hash), lang = COALESCE($3, lang) "
               "WHERE id = $1 "
               "RETURNING session_generation");
    pg_.define("replace_hash",
               "UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2");
    pg_.define("update_user",
               "UPDATE users SET display_name = COALESCE($2, display_name), "
               "email = CASE WHEN $3::boolean THEN $4 ELSE email END, "
               // A new address is unverified until its own link is opened (verify_email).
               "email_verified_at = CASE WHEN $3::boolean AND $4 IS DISTINCT FROM email "
               "  THEN NULL ELSE email_verified_at END, "
               "enabled = COALESCE($5::boolean, enabled), "
               "roles = COALESCE(string_to_array($6, ','), roles), "
               "session_generation = session_generation + "
               "  CASE WHEN ($5::boolean = false AND enabled) "
               "    OR ($6 IS NOT NULL AND string_to_array($6, ',') IS DISTINCT FROM roles) "
               "  THEN 1 ELSE 0 END, "
               "updated_at = now() WHERE id = $1 RETURNING " + cols);
    pg_.define("create_user",
               "INSERT INTO users (username, display_name, email, password_hash, roles, lang, "
               "email_verified_at) VALUES ($1, $2, $3, $4, string_to_array($5, ','), "
               "NULLIF($6, ''), CASE WHEN $7::boolean THEN now() END) ON CONFLICT ((lower(username))) DO NOTHING RETURNING " + cols);
    pg_.define("set_password",
               "UPDATE users SET password_hash = $2, session_generation = session_generation + 1, "
               "updated_at = now() WHERE id = $1 RETURNING session_generation");
    pg_.define("bump_session_generation",
               "UPDATE users SET session_generation = session_generation + 1, updated_at = now() "
               "WHERE id = $1 RETURNING session_generation");
    pg_.define("users_by_email",
               "SELECT " + cols + " FROM users WHERE lower(email) = lower($1) AND enabled "
               "ORDER BY id LIMIT 5");
    pg_.define("verify_email",
               "UPDATE users SET email = $2, email_verified_at = now(), updated_at = now() "
               "WHERE id = $1 RETURNING " + cols);
    // Newest first below a keyset cursor; $1 is a LIKE pattern whose wildcards are escaped.
    read_.define("search_users",
                 "SELECT " + cols + " FROM users WHERE (lower(username) LIKE $1 "
                 "OR lower(email) LIKE $1) AND id < $2 ORDER BY id DESC LIMIT $3");
    read_.define("list_after",
               "SELECT " + cols + " FROM users WHERE id > $1 ORDER BY id LIMIT $2");
    read_.define("list_newest",
               "SELECT " + cols + " FROM users WHERE id < $1 ORDER BY id DESC LIMIT $2");
    read_.define("list_updated",
               "SELECT " + cols + ", " + exact + " FROM users "
               "WHERE updated_at >= $1::timestamptz "
               "AND ($2::timestamptz IS NULL OR (updated_at, id) > ($2::timestamptz, $3::bigint)) "
               "ORDER BY updated_at, id LIMIT $4");
}

std::optional<User> UserStore::find_by_id(int64_t id) {
    return first_user(pg_.exec("user_by_id", {std::to_string(id)}));
}

UserStore::ReadPoolUser UserStore::find_by_id_from_read_pool(int64_t id) {
    auto r = read_.exec("user_by_id_read_pool", {std::to_string(id)});
    ReadPoolUser out;
    out.current = pg_value(r.get(), 0, kCurrentColumn) == "t";
    if (pg_value(r.get(), 0, 0)) out.user = user_from_row(r.get(), 0);
    return out;
}

std::optional<Credentials> UserStore::find_credentials(const std::string& username) {
    auto r = pg_.exec("credentials_by_username", {username});
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return credentials_from(r.get());
}

std::optional<Credentials> UserStore::find_credentials_by_id(int64_t id) {
    auto r = pg_.exec("credentials_by_id", {std::to_string(id)});
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return credentials_from(r.get());
}

int UserStore::record_login(int64_t id, const std::optional<std::string>& new_hash,
                            const std::optional<std::string>& lang) {
    auto r = pg_.exec("record_login", {std::to_string(id), new_hash, lang});
    if (PQntuples(r.get()) == 0) throw PgError("record_login: user vanished");
    return std::stoi(*pg_value(r.get(), 0, 0));
}

std::optional<User> UserStore::update(int64_t id, const UserChange& change) {
    return first_user(pg_.exec("update_user", change_params(id, change)));
}

std::optional<User> UserStore::update_checked(int64_t id, const UserChange& change,
                                              const std::function<void(const User&)>& check) {
    PgTransaction tx(pg_);
    auto current = first_user(pg_.exec("user_by_id_for_update", {std::to_string(id)}));
    if (!current) return std::nullopt;
    check(*current);
    auto updated = first_user(pg_.exec("update_user", change_params(id, change)));
    tx.commit();
    return updated;
}

std::optional<User> UserStore::create(const NewUser& u) {
    return first_user(
        pg_.exec("create_user",
                 {u.username, u.display_name, u.email, u.password_hash, join_roles(u.roles),
                  u.lang, u.email_verified ? "true" : "false"}));
}

std::optional<int> UserStore::set_password(int64_t id, const std::string& hash) {
    auto r = pg_.exec("set_password", {std::to_string(id), hash});
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return std::stoi(*pg_value(r.get(), 0, 0));
}

std::optional<int> UserStore::bump_session_generation(int64_t id) {
    auto r = pg_.exec("bump_session_generation", {std::to_string(id)});
    if (PQntuples(r.get()) == 0) return std::nullopt;
    return std::stoi(*pg_value(r.get(), 0, 0));
}

void UserStore::replace_hash(int64_t id, const std::string& old_hash,
                             const std::string& new_hash) {
    pg_.exec("replace_hash", {std::to_string(id), old_hash, new_hash});
}

std::vector<User> UserStore::find_by_email(const std::string& email) {
    return users_from(pg_.exec("users_by_email", {email}).get());
}

std::optional<User> UserStore::verify_email(int64_t id, const std::string& email) {
    return first_user(pg_.exec("verify_email", {std::to_string(id), email}));
}

std::vector<User> UserStore::search(const std::string& prefix, int64_t before_id, int limit) {
    std::string pattern;
    for (const char c : util::ascii_lower(prefix)) {
        if (c == '%' || c == '_' || c == '\\') pattern += '\\';
        pattern += c;
    }
    pattern += '%';
    auto r = read_.exec("search_users",
                        {pattern, std::to_string(before_id), std::to_string(limit)});
    return users_from(r.get());
}

std::vector<User> UserStore::list_after(int64_t after_id, int limit) {
    auto r = read_.exec("list_after", {std::to_string(after_id), std::to_string(limit)});
    return users_from(r.get());
}

std::vector<User> UserStore::list_newest(int64_t before_id, int limit) {
    auto r = read_.exec("list_newest", {std::to_string(before_id), std::to_string(limit)});
    return users_from(r.get());
}

UpdatedPage UserStore::list_updated(const std::string& since,
                                    const std::optional<std::string>& after_time, int64_t after_id,
                                    int limit) {
    auto r = read_.exec("list_updated",
                      {since, after_time, std::to_string(after_id), std::to_string(limit)});
    UpdatedPage page;
    page.users = users_from(r.get());
    for (int i = 0; i < PQntuples(r.get()); ++i)
        page.exact_updated_at.push_back(*pg_value(r.get(), i, kExactColumn));
    return page;
}

}  // namespace store
