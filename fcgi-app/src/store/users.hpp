// All SQL about users. A missing user is an empty optional, never an exception.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/pg.hpp"

namespace store {

// A user as every reader may see it: no password hash here, by construction.
struct User {
    int64_t id = 0;
    std::string username;
    std::string display_name;
    std::optional<std::string> email;
    std::vector<std::string> roles;
    bool enabled = true;
    std::string created_at;  // RFC 3339 UTC
    std::string updated_at;
    std::optional<std::string> last_login_at;
};

// What a login needs, and nothing a page needs.
struct Credentials {
    int64_t id = 0;
    std::string password_hash;
    bool enabled = true;
};

// The fields PATCH /api/v1/me may change; an empty optional leaves the column alone, and an
// email set to an empty optional inside clears it.
struct ProfileChange {
    std::optional<std::string> display_name;
    std::optional<std::optional<std::string>> email;
};

class UserStore {
public:
    // Defines the user statements on pg; they are prepared per connection on first use.
    explicit UserStore(Pg& pg);

    std::optional<User> find_by_id(int64_t id);
    // Case-insensitive lookup, served by the unique index on lower(username).
    std::optional<Credentials> find_credentials(const std::string& username);
    // Stamps last_login_at, and replaces the hash when new_hash is given (rehash on login).
    void record_login(int64_t id, const std::optional<std::string>& new_hash);
    // Applies change in one statement and returns the updated user, or nullopt if gone.
    std::optional<User> update_profile(int64_t id, const ProfileChange& change);

private:
    Pg& pg_;
};

}  // namespace store
