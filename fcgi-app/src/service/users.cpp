// Every read and write of users, with the cache kept right.
#include "service/users.hpp"

#include "service/validation.hpp"

namespace service {

Users::Users(store::UserStore& rows, Profiles& profiles) : rows_(rows), profiles_(profiles) {}

std::optional<model::User> Users::find_by_username(std::string_view typed) {
    // The canonical form (ASCII letters lowered, nothing else folded): a look-alike such as
    // "admİn" names nobody, whether it comes from the CLI or a recovery request.
    const auto username = canonical_username(typed);
    if (!username) return std::nullopt;
    auto credentials = rows_.find_credentials(*username);
    if (!credentials) return std::nullopt;
    return rows_.find_by_id(credentials->id);
}

std::optional<model::User> Users::verify_email(int64_t id, const std::string& email) {
    auto user = rows_.verify_email(id, email);
    profiles_.invalidate(id);
    return user;
}

std::optional<model::User> Users::update(int64_t id, const model::UserChange& change) {
    return profiles_.update(id, change);
}

std::optional<model::User> Users::update_checked(
    int64_t id, const model::UserChange& change,
    const std::function<void(const model::User&)>& check) {
    auto updated = rows_.update_checked(id, change, check);
    // Written first, then the cache dropped: readers never see the old profile after this.
    if (updated) profiles_.invalidate(id);
    return updated;
}

std::optional<int> Users::end_sessions(int64_t id) {
    const auto generation = rows_.bump_session_generation(id);
    if (generation) profiles_.invalidate(id);  // the cached copy holds the old generation
    return generation;
}

std::vector<model::User> Users::list_after(int64_t after_id, int limit) {
    return rows_.list_after(after_id, limit);
}

std::vector<model::User> Users::list_newest(int64_t before_id, int limit) {
    return rows_.list_newest(before_id, limit);
}

model::UpdatedPage Users::list_updated(const std::string& since,
                                       const std::optional<std::string>& after_time,
                                       int64_t after_id, int limit) {
    return rows_.list_updated(since, after_time, after_id, limit);
}

}  // namespace service
