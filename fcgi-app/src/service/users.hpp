// Every read and write of users that routes and the CLI make, with the cache kept right:
// reads through the profile cache, writes to PostgreSQL followed by invalidation, list pages
// from the read pool.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/profiles.hpp"
#include "store/users.hpp"

namespace service {

class Users {
public:
    Users(store::UserStore& rows, Profiles& profiles);

    // The user, from the cache when warm (see Profiles::get).
    std::optional<model::User> get(int64_t id) { return profiles_.get(id); }
    // get(), with the cached text already fetched in another round trip (or none found).
    std::optional<model::User> get(int64_t id, const std::optional<std::string>& cached_text) {
        return profiles_.get(id, cached_text);
    }
    // The user with this username as typed (ASCII letters in any case; service::
    // canonical_username), from the primary; nullopt if none or not a possible username.
    std::optional<model::User> find_by_username(std::string_view typed);
    // The enabled users with this email address (any letter case), from the primary.
    std::vector<model::User> find_by_email(const std::string& email) {
        return rows_.find_by_email(email);
    }
    // Sets the address and marks it verified, and drops the cached copy; nullopt if gone.
    std::optional<model::User> verify_email(int64_t id, const std::string& email);
    // Users whose username or email address starts with prefix, newest first below before_id
    // (keyset paging), from the read pool.
    std::vector<model::User> search(const std::string& prefix, int64_t before_id, int limit) {
        return rows_.search(prefix, before_id, limit);
    }

    // Writes the change and drops the cached copy; nullopt when the user is gone.
    std::optional<model::User> update(int64_t id, const model::UserChange& change);
    // update() on the locked row after `check` saw it (for preconditions such as If-Match);
    // whatever check throws rolls back and propagates.
    std::optional<model::User> update_checked(int64_t id, const model::UserChange& change,
                                              const std::function<void(const model::User&)>& check);
    // Ends every session and every known device of the user at once (the session generation
    // moves on); returns the new generation, or nullopt when the user is gone.
    std::optional<int> end_sessions(int64_t id);

    // Keyset pages from the read pool (see store::UserStore).
    std::vector<model::User> list_after(int64_t after_id, int limit);
    std::vector<model::User> list_newest(int64_t before_id, int limit);
    model::UpdatedPage list_updated(const std::string& since,
                                    const std::optional<std::string>& after_time,
                                    int64_t after_id, int limit);

private:
    store::UserStore& rows_;
    Profiles& profiles_;
};

}  // namespace service
