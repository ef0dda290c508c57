// A PostgreSQL connection owned by one worker.
#include "store/pg.hpp"

#include <stdexcept>

#include "metrics/metrics.hpp"
#include "store/backoff.hpp"
#include "store/errors.hpp"
#include "util/log.hpp"

namespace store {

Pg::Pg(std::string url, std::string password)
    : url_(std::move(url)), password_(std::move(password)) {}

void Pg::define(std::string name, std::string sql) { statements_[std::move(name)] = std::move(sql); }

PGconn* Pg::connection() {
    // A server that restarted or failed over has closed our idle connection; libpq notices
    // only when a query fails. Checking first turns that failed query into a reconnect.
    if (conn_ && PQstatus(conn_.get()) == CONNECTION_OK && PQtransactionStatus(conn_.get()) ==
                                                               PQTRANS_IDLE &&
        peer_closed(PQsocket(conn_.get())))
        conn_.reset();
    if (conn_ && PQstatus(conn_.get()) == CONNECTION_OK) return conn_.get();
    // Backoff: while the database is down, fail fast instead of every request paying for
    // a connect timeout.
    const auto now = std::chrono::steady_clock::now();
    if (now < retry_after_) throw PgError("postgres unavailable (backing off)");
    // expand_dbname lets the URL carry every setting; connect_timeout bounds a dead host. Both
    // it and the password come first so that the URL's own values (expanded later) win.
    std::vector<const char*> keys{"connect_timeout"};
    std::vector<const char*> values{"3"};
    if (!password_.empty()) {
        keys.push_back("password");
        values.push_back(password_.c_str());
    }
    keys.insert(keys.end(), {"dbname", nullptr});
    values.insert(values.end(), {url_.c_str(), nullptr});
    conn_.reset(PQconnectdbParams(keys.data(), values.data(), 1));
    if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
        retry_after_ = now + reconnect_delay(failures_++);
        metrics::store_error(metrics::Store::postgres);
        const std::string reason = conn_ ? PQerrorMessage(conn_.get()) : "out of memory";
        conn_.reset();
        util::log(util::LogLevel::warn, "pg_connect_failed", {{"reason", reason}});
        throw PgError("postgres unavailable");
    }
    for (const auto& [name, sql] : statements_) {
        PgResult r{PQprepare(conn_.get(), name.c_str(), sql.c_str(), 0, nullptr)};
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
            const std::string reason = PQerrorMessage(conn_.get());
            conn_.reset();
            metrics::store_error(metrics::Store::postgres);
            throw PgError("prepare " + name + " failed: " + reason);
        }
    }
    if (connected_once_) {
        metrics::store_reconnect(metrics::Store::postgres);
        util::log(util::LogLevel::info, "pg_reconnected");
    }
    connected_once_ = true;
    failures_ = 0;
    return conn_.get();
}

PgResult Pg::exec(const std::string& name, const std::vector<PgParam>& params) {
    if (!statements_.contains(name)) throw PgError("undefined statement " + name);
    PGconn* c = connection();
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
        // libpq reads text parameters as C strings: a NUL would silently truncate the value,
        // so it is a caller bug that must never reach the database.
        if (p && p->find('\0') != std::string::npos)
            throw std::invalid_argument("statement " + name + ": parameter contains NUL");
        values.push_back(p ? p->c_str() : nullptr);
    }
    ++queries_;
    PgResult r{PQexecPrepared(c, name.c_str(), static_cast<int>(values.size()), values.data(),
                              nullptr, nullptr, 0)};
    const auto status = PQresultStatus(r.get());
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) return r;
    const std::string state = pg_sqlstate(r.get());
    if (PQstatus(c) != CONNECTION_OK) {
        conn_.reset();
        metrics::store_error(metrics::Store::postgres);
    }
    throw PgError("statement " + name + " failed (" + state + ")", state);
}

PgResult Pg::exec_sql(const std::string& sql) {
    PGconn* c = connection();
    ++queries_;
    PgResult r{PQexec(c, sql.c_str())};
    const auto status = PQresultStatus(r.get());
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) return r;
    const std::string reason = PQerrorMessage(c);
    if (PQstatus(c) != CONNECTION_OK) {
        conn_.reset();
        metrics::store_error(metrics::Store::postgres);
    }
    throw PgError("sql failed: " + reason);
}

bool Pg::ping() noexcept {
    try {
        PGconn* c = connection();
        PgResult r{PQexec(c, "SELECT 1")};
        if (PQresultStatus(r.get()) == PGRES_TUPLES_OK) return true;
        if (PQstatus(c) != CONNECTION_OK) conn_.reset();
        return false;
    } catch (const std::exception&) {
        return false;
    }
}

PgTransaction::PgTransaction(Pg& pg) : pg_(pg) { pg_.exec_sql("BEGIN"); }

PgTransaction::~PgTransaction() {
    if (done_) return;
    try {
        pg_.exec_sql("ROLLBACK");
    } catch (const PgError&) {
        // The connection is gone, and the server rolled the transaction back with it.
    }
}

void PgTransaction::commit() {
    pg_.exec_sql("COMMIT");
    done_ = true;
}

std::optional<std::string> pg_value(const PGresult* r, int row, int col) {
    if (PQgetisnull(r, row, col)) return std::nullopt;
    return std::string(PQgetvalue(r, row, col), static_cast<size_t>(PQgetlength(r, row, col)));
}

std::string pg_sqlstate(const PGresult* r) {
    const char* s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    return s ? s : "";
}

}  // namespace store
