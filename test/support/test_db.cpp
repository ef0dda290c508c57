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

// The schema, migrated once per test program by the one owner of migrations (as in production)
// into a template database that every TestDatabase copies: CREATE DATABASE ... TEMPLATE copies
// files, where running scripts/migrate.sh for each test case would cost seconds each.
class MigratedTemplate {
  public:
    MigratedTemplate()
        : name_("login_template_" + random_suffix()), admin_(require_env("TEST_PG_ADMIN_URL")) {
        admin_.exec_sql("CREATE DATABASE " + name_);
        const auto r = run_command(
            "SQL_DIR=" + shell_quote(require_env("TEST_SQL_DIR")) + " " +
            shell_quote(LOGIN_SOURCE_DIR "/scripts/migrate.sh") + " " +
            shell_quote(with_database(require_env("TEST_PG_ADMIN_URL"), name_)));
        if (r.exit_code != 0) throw std::runtime_error("scripts/migrate.sh failed: " + r.output);
    }
    ~MigratedTemplate() {
        try {
            admin_.exec_sql("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        } catch (...) {
            // A leftover template goes away with the test stack.
        }
    }
    const std::string& name() const { return name_; }

  private:
    std::string name_;
    store::Pg admin_;
};

const std::string& migrated_template() {
    static const MigratedTemplate migrated;
    return migrated.name();
}

}  // namespace

TestDatabase::TestDatabase()
    : name_("login_test_" + random_suffix()),
      url_(with_database(require_env("TEST_PG_ADMIN_URL"), name_)),
      admin_(require_env("TEST_PG_ADMIN_URL")),
      db_(url_) {
    admin_.exec_sql("CREATE DATABASE " + name_ + " TEMPLATE " + migrated_template());
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
