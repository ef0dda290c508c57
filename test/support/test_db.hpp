// A throw-away PostgreSQL database with the real schema, for integration tests: created
// with a random name from the migrations in sql/, dropped when the fixture ends.
#pragma once

#include <string>

#include "store/pg.hpp"

namespace testing_support {

class TestDatabase {
public:
    // Creates login_test_<random> as a copy of a database that scripts/migrate.sh migrated
    // (TEST_SQL_DIR) once per test program.
    TestDatabase();
    // Drops the database, ending any connection still open to it.
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    // A connection URL for the new database (superuser; tests only).
    const std::string& url() const { return url_; }
    // Runs SQL on the new database (fixtures: inserting users and the like).
    void exec(const std::string& sql);

private:
    std::string name_;
    std::string url_;
    store::Pg admin_;
    store::Pg db_;
};

}  // namespace testing_support
