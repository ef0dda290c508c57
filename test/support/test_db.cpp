// A throw-away PostgreSQL database with the real schema, for integration tests.
#include "support/test_db.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

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
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(require_env("TEST_SQL_DIR"))) {
        const std::string file = entry.path().filename().string();
        if (entry.path().extension() == ".sql" && !file.empty() && std::isdigit(file[0]))
            files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        std::ifstream in(file);
        std::stringstream sql;
        sql << in.rdbuf();
        db_.exec_sql(sql.str());
    }
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
