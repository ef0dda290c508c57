// Failures of the backing stores. Both mean "the store could not answer", so the request path
// turns them into 503 + Retry-After (or a fallback) and never into a 500.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace store {

// PostgreSQL could not be reached or a statement failed for a reason that is not the
// client's fault. The message names the statement, never its parameters.
class PgError : public std::runtime_error {
public:
    explicit PgError(const std::string& message, std::string sqlstate = {})
        : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
    // The SQLSTATE of a failed statement ("23505" for a unique violation), "" when the
    // database could not be reached at all.
    const std::string& sqlstate() const noexcept { return sqlstate_; }

private:
    std::string sqlstate_;
};

// Redis could not be reached or answered with an error. The message names the command.
class RedisError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace store
