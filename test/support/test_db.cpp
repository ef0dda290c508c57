// A throw-away PostgreSQL database with the real schema, for integration tests.
#include "support/test_db.hpp"

#include <stdexcept>

#include "support/command.hpp"
#include "support/env.hpp"

namespace testing_support {
namespace {

// postgresql://user@host:port/dbname → the same URL naming another database.
std::string with_database(const std::string& url, const std::string& db) {
    return url.substr(0, url.rfind('/') + 1) + db;
}

}  // namespace

TestDatabase::TestDatabase()
    : name_("login_test_" + random_suffix()),
      url_(with_database(require_env("TEST_PG_ADMIN_URL"), name_)),
      admin_(require_env("TEST_PG_ADMIN_URL")),
      db_(url_) {
    admin_.exec_sql("CREATE DATABASE " + name_);
    // The schema comes from the one owner of migrations, as in production.
    const auto r = run_command("SQL_DIR=" + shell_quote(require_env("TEST_SQL_DIR")) + " " +
                               shell_quote(LOGIN_SOURCE_DIR "/scripts/migrate.sh") + " " +
                               shell_quote(url_));
    if (r.exit_code != 0) throw std::runtime_error("scripts/migrate.sh failed: " + r.output);
}

TestDatabase::~TestDatabase() {
    try {
        admin_.exec_sql("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
        // Never throw from a destructor; a leftover database is removed with the stack.
    }
}

void TestDatabase::exec(const std::string& sql) { db_.exec_sql(sql); }

}  // namespace testing_support
