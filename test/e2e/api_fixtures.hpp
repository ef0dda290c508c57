// Shared pieces of the REST API end-to-end tests: client applications made with the real
// `login-fcgi client` command, bulk throw-away users, JSON helpers, and the checks every API
// response must pass. Header-only, like fixtures.hpp.
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "e2e/fixtures.hpp"
#include "http/parse.hpp"
#include "util/text.hpp"

#ifndef LOGIN_BIN_PATH
#error "LOGIN_BIN_PATH must name the login-fcgi binary (see test/CMakeLists.txt)"
#endif

extern char** environ;

namespace e2e {

// The demo client that scripts/seed-demo.sh creates, with the scope users:read only.
inline constexpr const char* kDemoClient = "reporting";
inline constexpr const char* kDemoToken = "dev-reporting-token-0123456789abcdef";

// The header that sends token as a bearer token.
inline std::string bearer(const std::string& token) {
    return "Authorization: Bearer " + token;
}

// The documented keys of a user object (docs/openapi.yaml, components.schemas.User).
inline const std::set<std::string>& user_keys() {
    static const std::set<std::string> keys = {"id",         "username",   "display_name",
                                               "email",      "email_verified", "roles",
                                               "enabled",    "created_at", "updated_at",
                                               "last_login_at"};
    return keys;
}

// The keys of a JSON object (empty when it is not one).
inline std::set<std::string> keys_of(const json_t* obj) {
    std::set<std::string> keys;
    const char* key;
    json_t* value;
    json_object_foreach(const_cast<json_t*>(obj), key, value) keys.insert(key);
    return keys;
}

// The integer at key of a JSON object, or -1 when it is missing or not an integer.
inline int64_t json_int(const json_t* obj, const char* key) {
    const json_t* v = json_object_get(obj, key);
    return json_is_integer(v) ? static_cast<int64_t>(json_integer_value(v)) : -1;
}

// The strings of the array at key, in order (non-strings are skipped).
inline std::vector<std::string> json_strings(const json_t* obj, const char* key) {
    std::vector<std::string> out;
    size_t i;
    json_t* item;
    json_array_foreach(json_object_get(obj, key), i, item) {
        if (json_is_string(item)) out.emplace_back(json_string_value(item));
    }
    return out;
}

// The first object key anywhere in v whose name contains needle (case-insensitive), or "".
inline std::string key_containing(const json_t* v, std::string_view needle) {
    const char* key;
    json_t* value;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(const_cast<json_t*>(v), key, value) {
            std::string lower = util::ascii_lower(key);
            if (lower.find(needle) != std::string::npos) return key;
            if (auto inner = key_containing(value, needle); !inner.empty()) return inner;
        }
    } else if (json_is_array(v)) {
        json_array_foreach(const_cast<json_t*>(v), i, value) {
            if (auto inner = key_containing(value, needle); !inner.empty()) return inner;
        }
    }
    return "";
}

// Global fixture for the API tests: what EveryResponseChecked checks, and also that no JSON
// response carries a key about password hashes, however it is spelled.
struct EveryApiResponseChecked {
    EveryApiResponseChecked() {
        testing_support::set_response_observer([](const HttpRequest& req, const HttpResponse& r) {
            BOOST_TEST(!mentions(r, kHashMarker),
                       req.method << ' ' << req.path << " returned a password hash");
            BOOST_TEST(r.status < 500, req.method << ' ' << req.path << " returned " << r.status);
            if (r.header("content-type").starts_with("application/json") && !r.body.empty()) {
                auto doc = util::json_parse(r.body, nullptr);
                BOOST_TEST(doc.has_value(), req.method << ' ' << req.path << " sent invalid JSON");
                if (doc)
                    BOOST_TEST(key_containing(doc->get(), "hash").empty(),
                               req.method << ' ' << req.path << " returned the key "
                                          << key_containing(doc->get(), "hash"));
            }
        });
    }
    ~EveryApiResponseChecked() { testing_support::set_response_observer(nullptr); }
};

// What `login-fcgi client ...` printed on stdout, and its exit status.
struct CliResult {
    int status = -1;
    std::string out;
};

// Runs `login-fcgi client ARGS...` against the stack's `login` database (as the superuser),
// its Redis and its key prefix, so that revocations also reach the stack's token cache.
// Its stderr goes to the test's, where a failure shows up in the ctest output.
inline CliResult run_client_cli(const std::vector<std::string>& args) {
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) {
        std::string_view entry(*e);
        if (!entry.starts_with("LOGIN_")) env_strings.emplace_back(entry);
    }
    env_strings.push_back("LOGIN_DATABASE_URL=" + login_database_url());
    env_strings.push_back("LOGIN_REDIS_URL=" + testing_support::require_env("TEST_REDIS_URL"));
    env_strings.push_back("LOGIN_CACHE_REDIS_URL=" +
                          testing_support::require_env("TEST_CACHE_REDIS_URL"));
    env_strings.push_back("LOGIN_KEY_PREFIX=" + testing_support::require_env("TEST_KEY_PREFIX"));
    std::vector<std::string> argv_strings = {LOGIN_BIN_PATH, "client"};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    // Built before fork: the child only calls async-signal-safe functions.
    std::vector<char*> envp, argv;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        execve(argv[0], argv.data(), envp.data());
        _exit(127);
    }
    close(fds[1]);
    CliResult result;
    char buf[4096];
    for (;;) {
        const ssize_t n = read(fds[0], buf, sizeof buf);
        if (n > 0)
            result.out.append(buf, static_cast<size_t>(n));
        else if (n == 0 || errno != EINTR)
            break;
    }
    close(fds[0]);
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    result.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    return result;
}

// Like run_client_cli, but throws unless the command succeeded; returns its first line.
inline std::string client_cli_line(const std::vector<std::string>& args) {
    auto r = run_client_cli(args);
    std::string joined;
    for (const auto& a : args) joined += " " + a;
    if (r.status != 0)
        throw std::runtime_error("login-fcgi client" + joined + " exited with " +
                                 std::to_string(r.status));
    return r.out.substr(0, r.out.find('\n'));
}

// A client application of its own for one test, created with `login-fcgi client create` under
// a random name; all its tokens are revoked when the test ends.
class ApiClient {
  public:
    explicit ApiClient(const std::vector<std::string>& scopes)
        : name_("e2e-" + testing_support::random_suffix()) {
        std::vector<std::string> args = {"create", name_};
        for (const auto& s : scopes) {
            args.push_back("--scope");
            args.push_back(s);
        }
        token_ = client_cli_line(args);
        if (token_.empty()) throw std::runtime_error("client create printed no token");
    }

    ~ApiClient() {
        try {
            run_client_cli({"revoke", name_});
        } catch (...) {
            // Never throw from a destructor; the stack goes away after the run.
        }
    }

    ApiClient(const ApiClient&) = delete;
    ApiClient& operator=(const ApiClient&) = delete;

    const std::string& name() const { return name_; }
    // The token printed by `client create`.
    const std::string& token() const { return token_; }
    // The Authorization header for token().
    std::string auth() const { return bearer(token_); }

    // Adds a token with `client token NAME` and returns it.
    std::string add_token() const { return client_cli_line({"token", name_}); }

    // Revokes every token, or only token_id, with `client revoke`.
    void revoke(std::optional<int64_t> token_id = std::nullopt) const {
        std::vector<std::string> args = {"revoke", name_};
        if (token_id) {
            args.push_back("--token-id");
            args.push_back(std::to_string(*token_id));
        }
        client_cli_line(args);
    }

    // The ids of this client's tokens in creation order, as `client list` shows them.
    std::vector<int64_t> token_ids() const {
        auto r = run_client_cli({"list"});
        if (r.status != 0) throw std::runtime_error("login-fcgi client list failed");
        std::vector<int64_t> ids;
        size_t pos = r.out.find('\n');  // past the header line
        while (pos != std::string::npos && pos + 1 < r.out.size()) {
            const size_t end = r.out.find('\n', pos + 1);
            const std::string line = r.out.substr(pos + 1, end - pos - 1);
            const size_t tab = line.find('\t');
            if (tab != std::string::npos &&
                line.substr(tab + 1, line.find('\t', tab + 1) - tab - 1) == name_)
                ids.push_back(std::stoll(line.substr(0, tab)));
            pos = end;
        }
        return ids;
    }

  private:
    std::string name_;
    std::string token_;
};

// The current time of the stack's database in RFC 3339 UTC with microseconds, plus an
// interval (a PostgreSQL interval literal such as '1 day').
inline std::string database_time(store::Pg& pg, const std::string& plus = "0 seconds") {
    auto r = pg.exec_sql("SELECT to_char((now() + interval '" + plus +
                         "') AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')");
    return *store::pg_value(r.get(), 0, 0);
}

// count users inserted straight into the stack's database in one statement, named
// <prefix><n> for n = 1..count under a random prefix, and deleted (with any cached profiles)
// when the fixture ends. Their hash is a placeholder: nobody logs in as them.
class UserBatch {
  public:
    UserBatch(const std::string& kind, int count)
        : prefix_(kind + "-" + testing_support::random_suffix() + "-"), pg_(login_database_url()) {
        pg_.define("e2e_insert_batch",
                   "INSERT INTO users (username, display_name, email, password_hash) "
                   "SELECT $1 || n, 'Batch User ' || n, $1 || n || '@example.com', "
                   "'$s1$0e0801$cGxhY2Vob2xkZXI=$cGxhY2Vob2xkZXI=' "
                   "FROM generate_series(1, $2::int) AS n ORDER BY n RETURNING id");
        pg_.define("e2e_delete_batch", "DELETE FROM users WHERE username LIKE $1 || '%'");
        auto r = pg_.exec("e2e_insert_batch", {prefix_, std::to_string(count)});
        for (int i = 0; i < PQntuples(r.get()); ++i)
            ids_.push_back(std::stoll(*store::pg_value(r.get(), i, 0)));
        std::sort(ids_.begin(), ids_.end());
    }

    ~UserBatch() {
        try {
            pg_.exec("e2e_delete_batch", {prefix_});
            const store::Keys schema(testing_support::require_env("TEST_KEY_PREFIX"));
            std::vector<std::string> keys;
            for (int64_t id : ids_) keys.push_back(schema.profile(id));
            store::RedisArgs del = {"DEL"};
            for (const auto& k : keys) del.push_back(k);
            store::Redis redis(testing_support::require_env("TEST_CACHE_REDIS_URL"));
            redis.command(del);
        } catch (...) {
            // Never throw from a destructor; the stack and its data go away after the run.
        }
    }

    UserBatch(const UserBatch&) = delete;
    UserBatch& operator=(const UserBatch&) = delete;

    // The common start of every username of the batch.
    const std::string& prefix() const { return prefix_; }
    // The ids of the batch, ascending (the n-th user has the n-th smallest id).
    const std::vector<int64_t>& ids() const { return ids_; }
    // A superuser connection to the `login` database, for changes no API makes.
    store::Pg& pg() { return pg_; }

  private:
    std::string prefix_;
    store::Pg pg_;
    std::vector<int64_t> ids_;
};

}  // namespace e2e
