// All SQL about users. A missing user is an empty optional, never an exception.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/user.hpp"
#include "store/pg.hpp"

namespace store {

using model::UpdatedPage;
using model::User;
using model::UserChange;

// What a login needs, and nothing a page needs.
struct Credentials {
    int64_t id = 0;
    std::string password_hash;
    bool enabled = true;
    int session_generation = 0;  // known-device cookies are bound to it
    bool mfa = false;  // a confirmed second factor: the password alone logs nobody in
};

struct NewUser {
    std::string username;
    std::string display_name;
    std::optional<std::string> email;
    std::string password_hash;
    std::vector<std::string> roles{"user"};  // validated names only
    std::string lang;  // "en", "pt-BR", or "" when unknown
    bool email_verified = false;
};

class UserStore {
public:
    // Defines the user statements on pg; they are prepared per connection on first use.
    // Writes and find_by_id go to primary; the list pages and find_by_id_from_read_pool to
    // read_pool (a standby, or primary itself when no read URL is configured).
    UserStore(Pg& primary, Pg& read_pool);
    explicit UserStore(Pg& pg) : UserStore(pg, pg) {}

    std::optional<User> find_by_id(int64_t id);

    struct ReadPoolUser {
        std::optional<User> user;
        // False when the read pool is a standby that has received WAL it has not replayed yet:
        // under synchronous replication that may be a committed change, so read the primary.
        bool current = true;
    };
    ReadPoolUser find_by_id_from_read_pool(int64_t id);
    // The credentials of a canonical username (service::canonical_username), through the unique
    // index on lower(username): the table's CHECK admits only [a-z0-9._-], for which lower() is
    // the identity, so the index, the lookup and the limiter all key on the same form. The
    // argument is never folded here: PostgreSQL's lower() would fold "İ" and the Kelvin sign.
    std::optional<Credentials> find_credentials(const std::string& username);
    // The credentials of a known user id (password change).
    std::optional<Credentials> find_credentials_by_id(int64_t id);

    // Stamps last_login_at, replaces the hash when new_hash is given (rehash on login), keeps
    // the language of the login when given, and returns the user's session generation.
    int record_login(int64_t id, const std::optional<std::string>& new_hash,
                     const std::optional<std::string>& lang = std::nullopt);

    // Replaces an outdated hash of the same password (a login whose second step is still to
    // come), unless the hash changed meanwhile; nothing else is touched.
    void replace_hash(int64_t id, const std::string& old_hash, const std::string& new_hash);

    // The enabled users whose email address is `email` in any letter case (at most 5: an
    // address may belong to several accounts), in id order.
    std::vector<User> find_by_email(const std::string& email);
    // Sets the address and marks it verified (the link sent to it was opened); nullopt if the
    // user is gone.
    std::optional<User> verify_email(int64_t id, const std::string& email);
    // Users whose username or email address starts with prefix (any letter case; % and _ are
    // plain characters), newest first, with id < before_id.
    std::vector<User> search(const std::string& prefix, int64_t before_id, int limit);

    // Applies change in one statement and returns the updated user, or nullopt if gone.
    std::optional<User> update(int64_t id, const UserChange& change);

    // Like update(), inside a transaction that locks the row first and lets `check` see the
    // current user; whatever check throws rolls everything back and propagates.
    std::optional<User> update_checked(int64_t id, const UserChange& change,
                                       const std::function<void(const User&)>& check);

    // Inserts a user; nullopt when the username is taken (in any letter case). The caller
    // lower-cases the username: the table accepts only lower-case names.
    std::optional<User> create(const NewUser& user);

    // Replaces the password hash and bumps the session generation (ending every session);
    // returns the new generation, or nullopt if the user is gone.
    std::optional<int> set_password(int64_t id, const std::string& hash);

    // Bumps the session generation (ending every session and known device of the user); returns
    // the new generation, or nullopt if the user is gone.
    std::optional<int> bump_session_generation(int64_t id);

    // Users with id > after_id, in id order (keyset paging: no OFFSET).
    std::vector<User> list_after(int64_t after_id, int limit);
    // The newest users with id < before_id, newest first.
    std::vector<User> list_newest(int64_t before_id, int limit);
    // Users changed at or after `since`, strictly after the (updated_at, id) cursor when given.
    UpdatedPage list_updated(const std::string& since, const std::optional<std::string>& after_time,
                             int64_t after_id, int limit);

private:
    Pg& pg_;
    Pg& read_;
};

}  // namespace store
