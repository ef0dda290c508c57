// scripts/migrate.sh, the one owner of the schema, against the real PostgreSQL: one run at a
// time (advisory lock), checksums of applied files, a run started again after its connection
// broke, and indexes on users built without blocking writes.
#define BOOST_TEST_MODULE integration_migrate
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "store/pg.hpp"
#include "support/command.hpp"
#include "support/env.hpp"

using namespace testing_support;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr const char* kLockKey = "7326480151";  // scripts/migrate.sh's LOCK_KEY

std::string read_file(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<fs::path> migration_files(const fs::path& dir) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (e.path().extension() == ".sql" && std::isdigit(static_cast<unsigned char>(name[0])))
            files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

// An empty database (no schema at all), dropped at the end.
struct EmptyDatabase {
    std::string name = "login_migrate_" + random_suffix();
    store::Pg admin{require_env("TEST_PG_ADMIN_URL")};
    std::string url;
    EmptyDatabase() {
        const std::string admin_url = require_env("TEST_PG_ADMIN_URL");
        url = admin_url.substr(0, admin_url.rfind('/') + 1) + name;
        admin.exec_sql("CREATE DATABASE " + name);
    }
    ~EmptyDatabase() {
        try {
            admin.exec_sql("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (...) {
        }
    }
    std::string scalar(const std::string& sql) {
        store::Pg pg(url);
        auto r = pg.exec_sql(sql);
        return store::pg_value(r.get(), 0, 0).value_or("<null>");
    }
};

// A copy of sql/ to change (SQL_DIR), removed at the end.
struct SqlCopy {
    fs::path dir = fs::temp_directory_path() / ("login-sql-" + random_suffix());
    explicit SqlCopy(const std::function<bool(const std::string&)>& keep = nullptr) {
        fs::create_directories(dir);
        for (const auto& e : fs::directory_iterator(require_env("TEST_SQL_DIR")))
            if (!keep || keep(e.path().filename().string()))
                fs::copy(e.path(), dir / e.path().filename());
    }
    ~SqlCopy() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

std::string migrate_command(const std::string& url, const std::string& sql_dir = "") {
    return "SQL_DIR=" + shell_quote(sql_dir.empty() ? require_env("TEST_SQL_DIR") : sql_dir) + " " +
           shell_quote(LOGIN_SOURCE_DIR "/scripts/migrate.sh") + " " + shell_quote(url);
}

// Polls sql (a boolean query, on the admin connection) every 50 ms until it is true or 60 s pass.
bool eventually(EmptyDatabase& db, const std::string& sql) {
    for (int i = 0; i < 1200; ++i) {
        if (db.scalar(sql) == "t") return true;
        std::this_thread::sleep_for(50ms);
    }
    return false;
}

struct IndexStatement {
    std::string statement;
    bool concurrently;
};

// The CREATE [UNIQUE] INDEX [CONCURRENTLY] ... ON users (...) statements of a migration file,
// comments left out. (By hand, not with std::regex: GCC 12's <regex> does not build under the sanitizers.)
std::vector<IndexStatement> indexes_on_users(const std::string& sql) {
    std::string code;
    std::istringstream lines(sql);
    for (std::string line; std::getline(lines, line);) {
        line = line.substr(0, line.find("--"));
        // A psql command (\gexec, \gset) ends the query before it, as ';' does.
        if (const size_t meta = line.find('\\'); meta != std::string::npos)
            line = line.substr(0, meta) + ";";
        code += line + "\n";
    }
    std::vector<IndexStatement> out;
    size_t start = 0;
    while (start < code.size()) {
        const size_t end = std::min(code.find(';', start), code.size());
        const std::string statement = code.substr(start, end - start);
        start = end + 1;
        std::string upper = statement;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        for (char& c : upper)
            if (c == '(') c = ' ';  // "users(" and "users (" alike
        std::istringstream in(upper);
        const std::vector<std::string> w{std::istream_iterator<std::string>(in), {}};
        size_t i = 0;
        if (i >= w.size() || w[i++] != "CREATE") continue;
        if (i < w.size() && w[i] == "UNIQUE") ++i;
        if (i >= w.size() || w[i++] != "INDEX") continue;
        const bool concurrently = i < w.size() && w[i] == "CONCURRENTLY";
        for (size_t j = i; j + 1 < w.size(); ++j) {
            if (w[j] == "ON" && w[j + 1] == "USERS") {
                out.push_back({statement, concurrently});
                break;
            }
        }
    }
    return out;
}

std::string sha256_of(const fs::path& file) {
    auto r = run_command("sha256sum " + shell_quote(file.string()));
    return r.output.substr(0, 64);
}

}  // namespace

BOOST_AUTO_TEST_CASE(two_concurrent_runs_apply_every_migration_exactly_once) {
    EmptyDatabase db;
    BackgroundCommand a(migrate_command(db.url));
    BackgroundCommand b(migrate_command(db.url));
    const auto ra = a.wait();
    const auto rb = b.wait();
    BOOST_TEST(ra.exit_code == 0, ra.output);
    BOOST_TEST(rb.exit_code == 0, rb.output);
    const auto files = migration_files(require_env("TEST_SQL_DIR"));
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations") == std::to_string(files.size()));
    for (const auto& f : files) {
        BOOST_TEST_CONTEXT(f.filename()) {
            BOOST_TEST(db.scalar("SELECT checksum FROM schema_migrations WHERE version = '" +
                                 f.stem().string() + "'") == sha256_of(f));
        }
    }
}

BOOST_AUTO_TEST_CASE(a_run_waits_while_another_run_holds_the_lock) {
    EmptyDatabase db;
    store::Pg holder(db.url);
    holder.exec_sql(std::string("SELECT pg_advisory_lock(") + kLockKey + ")");
    BackgroundCommand run(migrate_command(db.url));
    // The run asks for the lock, does not get it, and tries again every second (each try a
    // transaction of its own): it waits, and has applied nothing.
    BOOST_REQUIRE_MESSAGE(
        eventually(db, "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = "
                       "current_database() AND application_name = 'login-migrate' AND query "
                       "LIKE 'SELECT pg_sleep%')"),
        "migrate never waited for the lock: " << run.output());
    BOOST_TEST(run.running());
    BOOST_TEST(db.scalar("SELECT to_regclass('users') IS NULL") == "t");
    holder.exec_sql(std::string("SELECT pg_advisory_unlock(") + kLockKey + ")");
    const auto r = run.wait();
    BOOST_TEST(r.exit_code == 0, r.output);
    BOOST_TEST(r.output.find("another migration run holds the lock; waiting") != std::string::npos,
               r.output);
    BOOST_TEST(db.scalar("SELECT to_regclass('users') IS NOT NULL") == "t");
}

BOOST_AUTO_TEST_CASE(an_applied_migration_that_was_edited_is_refused_and_nothing_runs) {
    EmptyDatabase db;
    BOOST_REQUIRE(run_command(migrate_command(db.url)).exit_code == 0);
    SqlCopy copy;
    { std::ofstream(copy.dir / "001_users.sql", std::ios::app) << "\n-- edited afterwards\n"; }
    { std::ofstream(copy.dir / "999_new.sql") << "CREATE TABLE must_not_exist (id int);\n"; }
    const auto r = run_command(migrate_command(db.url, copy.dir.string()));
    BOOST_TEST(r.exit_code == 3, r.output);
    BOOST_TEST(r.output.find("applied migrations were changed since they ran: 001_users") !=
                   std::string::npos,
               r.output);
    BOOST_TEST(db.scalar("SELECT to_regclass('must_not_exist') IS NULL") == "t");
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE version = '999_new'") ==
               "0");
}

BOOST_AUTO_TEST_CASE(migrations_applied_before_checksums_were_kept_get_their_checksums) {
    EmptyDatabase db;
    BOOST_REQUIRE(run_command(migrate_command(db.url)).exit_code == 0);
    // The table as the previous scripts/migrate.sh left it: no checksum column.
    { store::Pg(db.url).exec_sql("ALTER TABLE schema_migrations DROP COLUMN checksum"); }
    const auto r = run_command(migrate_command(db.url));
    BOOST_TEST(r.exit_code == 0, r.output);
    const auto files = migration_files(require_env("TEST_SQL_DIR"));
    BOOST_TEST(r.output.find("recorded the checksums of " + std::to_string(files.size()) +
                             " migrations") != std::string::npos,
               r.output);
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations WHERE checksum IS NULL") == "0");
}

// A container's connection can drop for a moment (podman's DNS restarting): the run starts
// again, decides afresh what is left, and applies it once.
BOOST_AUTO_TEST_CASE(a_run_whose_connection_breaks_mid_migration_starts_again) {
    EmptyDatabase db;
    SqlCopy copy;
    const fs::path slow = copy.dir / "999_slow.sql";
    { std::ofstream(slow) << "CREATE TABLE slow_done (id int);\nSELECT pg_sleep(3);\n"; }
    BackgroundCommand run(migrate_command(db.url, copy.dir.string()));
    const std::string sleeping =
        "FROM pg_stat_activity WHERE datname = current_database() AND application_name = "
        "'login-migrate' AND query LIKE 'SELECT pg_sleep(3)%'";
    BOOST_REQUIRE_MESSAGE(eventually(db, "SELECT EXISTS (SELECT 1 " + sleeping + ")"),
                          "the slow migration never ran: " << run.output());
    BOOST_TEST(db.scalar("SELECT bool_and(pg_terminate_backend(pid)) " + sleeping) == "t");
    const auto r = run.wait();
    BOOST_TEST(r.exit_code == 0, r.output);
    BOOST_TEST(r.output.find("the connection failed, trying again") != std::string::npos, r.output);
    BOOST_TEST(db.scalar("SELECT to_regclass('slow_done') IS NOT NULL") == "t");
    const auto files = migration_files(copy.dir);
    BOOST_TEST(db.scalar("SELECT count(*) FROM schema_migrations") == std::to_string(files.size()));
    BOOST_TEST(db.scalar("SELECT checksum FROM schema_migrations WHERE version = '999_slow'") ==
               sha256_of(slow));
}

// With a plain CREATE INDEX (a SHARE lock queued behind the open transaction), the second
// writer would queue behind the index build and hit its statement_timeout.
BOOST_AUTO_TEST_CASE(an_index_on_users_is_built_while_writes_to_users_go_on) {
    EmptyDatabase db;
    // Everything before the first migration that builds an index CONCURRENTLY.
    const auto files = migration_files(require_env("TEST_SQL_DIR"));
    std::string concurrent;
    for (const auto& f : files) {
        const std::string text = read_file(f);
        if (concurrent.empty() && text.starts_with("-- migrate: no-transaction\n") &&
            text.find("CREATE INDEX CONCURRENTLY") != std::string::npos)
            concurrent = f.filename().string();
    }
    BOOST_REQUIRE(!concurrent.empty());
    SqlCopy before([&](const std::string& name) {
        return !std::isdigit(static_cast<unsigned char>(name[0])) || name < concurrent;
    });
    BOOST_REQUIRE(run_command(migrate_command(db.url, before.dir.string())).exit_code == 0);
    store::Pg setup(db.url);
    setup.exec_sql(
        "INSERT INTO users (username, display_name, password_hash) "
        "VALUES ('writer1', 'W1', 'x'), ('writer2', 'W2', 'x')");
    store::Pg open_writer(db.url);
    open_writer.exec_sql("BEGIN");
    open_writer.exec_sql("UPDATE users SET display_name = 'open' WHERE username = 'writer1'");
    BackgroundCommand run(migrate_command(db.url));
    // The index build waits for the open transaction; a write meanwhile must not wait for it.
    BOOST_REQUIRE_MESSAGE(
        eventually(db,
                   "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = "
                   "current_database() AND query ILIKE '%CREATE%INDEX%ON users%' "
                   "AND wait_event_type = 'Lock')"),
        "the index build never waited for the open transaction: " << run.output());
    BOOST_TEST(run.running());
    store::Pg writer(db.url);
    writer.exec_sql("SET statement_timeout = '3s'");
    BOOST_CHECK_NO_THROW(
        writer.exec_sql("UPDATE users SET display_name = 'during' WHERE username = 'writer2'"));
    open_writer.exec_sql("COMMIT");
    const auto r = run.wait();
    BOOST_TEST(r.exit_code == 0, r.output);
    BOOST_TEST(
        db.scalar("SELECT bool_and(indisvalid) FROM pg_index WHERE indrelid = 'users'::regclass") ==
        "t");
}

// Every CREATE INDEX on users after the file that creates the table is CONCURRENTLY, in a file
// that runs outside a transaction (the rule the test above checks in action).
BOOST_AUTO_TEST_CASE(every_later_index_on_users_is_concurrent_and_outside_a_transaction) {
    int checked = 0;
    for (const auto& f : migration_files(require_env("TEST_SQL_DIR"))) {
        const std::string text = read_file(f);
        if (text.find("CREATE TABLE users") != std::string::npos) continue;
        for (const auto& index : indexes_on_users(text)) {
            BOOST_TEST_CONTEXT(f.filename() << ": " << index.statement) {
                BOOST_TEST(index.concurrently);
                BOOST_TEST(text.starts_with("-- migrate: no-transaction\n"));
            }
            ++checked;
        }
    }
    BOOST_TEST(checked >= 1);
}
