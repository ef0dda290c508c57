// The stores of one integration test: a fresh database with the real schema, the shared Redis
// under a fresh key prefix, and the user store. The prefix's keys are deleted at the end.
#pragma once

#include <cstdint>
#include <string>

#include "store/keys.hpp"
#include "store/pg.hpp"
#include "store/redis.hpp"
#include "store/users.hpp"
#include "support/env.hpp"
#include "support/test_db.hpp"

namespace testing_support {

struct StoreFixture {
    TestDatabase db;
    std::string prefix = "itest:" + random_suffix() + ":";
    store::Keys keys{prefix};
    store::Redis redis{require_env("TEST_REDIS_URL")};
    store::Pg pg{db.url()};
    store::UserStore users{pg};

    // Inserts a user straight into the test database (password hash 'x') and returns its id.
    int64_t add_user(const std::string& username, const std::string& display) {
        auto r = pg.exec_sql(
            "INSERT INTO users (username, display_name, email, password_hash, roles) VALUES ('" +
            username + "', '" + display + "', '" + username +
            "@example.com', 'x', '{user}') RETURNING id");
        return std::stoll(*store::pg_value(r.get(), 0, 0));
    }

    ~StoreFixture() {
        for (const auto& key : redis.command({"KEYS", prefix + "*"}).strings())
            redis.command({"DEL", key});
    }
};

}  // namespace testing_support
