// Failures of the backing stores, by what the caller can do about them: retry later (the store
// is away or slow), a conflict with data already stored, or a value the store cannot hold.
// The worker's catch site maps the kind to the answer; nothing above store/ sees an SQLSTATE.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace store {

enum class ErrorKind {
    unavailable,  // unreachable, timed out, or failed in a way retrying may fix: 503 Retry-After
    conflict,     // the write collides with a stored row (a unique key): 409
    bad_value,    // a value from the request the store cannot represent (out of range): 400
};

// What a failed PostgreSQL statement's SQLSTATE means to the caller: class 22 (data exception)
// is bad_value, a unique or exclusion violation (23505, 23P01) is a conflict, and everything
// else (including "" when the database was not reached) is unavailable.
ErrorKind classify_sqlstate(std::string_view sqlstate) noexcept;

// A store could not do what was asked. The message names the statement or command, never its
// parameters.
class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const char* store, const std::string& message)
        : std::runtime_error(message), kind_(kind), store_(store) {}
    ErrorKind kind() const noexcept { return kind_; }
    // "postgres" or "redis", for log lines.
    const char* store() const noexcept { return store_; }

private:
    ErrorKind kind_;
    const char* store_;
};

// PostgreSQL failed; the kind comes from the statement's SQLSTATE (classify_sqlstate).
class PgError : public Error {
public:
    explicit PgError(const std::string& message, std::string_view sqlstate = {})
        : Error(classify_sqlstate(sqlstate), "postgres", message) {}
};

// Redis could not be reached or answered with an error: always unavailable.
class RedisError : public Error {
public:
    explicit RedisError(const std::string& message)
        : Error(ErrorKind::unavailable, "redis", message) {}
};

}  // namespace store
