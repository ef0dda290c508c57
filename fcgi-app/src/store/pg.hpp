// A PostgreSQL connection owned by one worker: RAII handles, lazy (re)connection, and
// statements prepared once per connection.
#pragma once

#include <libpq-fe.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace store {

struct PgConnFinish {
    void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct PgResultClear {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using PgConnPtr = std::unique_ptr<PGconn, PgConnFinish>;
using PgResult = std::unique_ptr<PGresult, PgResultClear>;

// A parameter value; nullopt is SQL NULL.
using PgParam = std::optional<std::string>;

class Pg {
public:
    // Does not connect: the connection opens on first use, after fork. password is used when
    // the URL carries none.
    explicit Pg(std::string url, std::string password = "");

    // Registers a named statement, prepared on every connection before first use.
    void define(std::string name, std::string sql);

    // Runs a defined statement with text parameters and returns its tuples. Throws PgError
    // when the database is unreachable or the statement fails; reconnects on the next call.
    PgResult exec(const std::string& name, const std::vector<PgParam>& params);

    // Runs plain SQL without parameters (migrations and tests only).
    PgResult exec_sql(const std::string& sql);

    // Number of statements executed, for the "zero queries on a warm page" check.
    uint64_t queries() const { return queries_; }

    // True when the server answers a trivial query now. Never throws; a server in backoff is
    // "down".
    bool ping() noexcept;

private:
    PGconn* connection();

    std::string url_;
    std::string password_;
    PgConnPtr conn_;
    std::map<std::string, std::string, std::less<>> statements_;
    std::chrono::steady_clock::time_point retry_after_{};
    int failures_ = 0;  // consecutive failed connects: the backoff grows with them
    bool connected_once_ = false;
    uint64_t queries_ = 0;
};

// BEGIN on construction, ROLLBACK on destruction unless commit() ran: a failure anywhere in
// between (an exception from a check, a lost connection) leaves nothing half-written.
class PgTransaction {
public:
    explicit PgTransaction(Pg& pg);
    ~PgTransaction();
    PgTransaction(const PgTransaction&) = delete;
    PgTransaction& operator=(const PgTransaction&) = delete;
    void commit();

private:
    Pg& pg_;
    bool done_ = false;
};

// Text of a column, or nullopt when it is NULL.
std::optional<std::string> pg_value(const PGresult* r, int row, int col);

// "23505" and friends: the SQLSTATE of a failed result ("" when none).
std::string pg_sqlstate(const PGresult* r);

}  // namespace store
