// The account lifecycle against a real PostgreSQL and Redis: creating users, checked updates,
// password changes, keyset and delta listings, registration, and API client tokens. A fresh
// database with the real schema and a fresh key prefix per test.
#define BOOST_TEST_MODULE integration_accounts
#include "service/accounts.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "service/api_clients.hpp"
#include "service/passwords.hpp"
#include "service/profiles.hpp"
#include "service/rate_limits.hpp"
#include "service/reauth.hpp"
#include "service/sessions.hpp"
#include "store/api_clients.hpp"
#include "store/mail_queue.hpp"
#include "store/redis.hpp"
#include "store/users.hpp"
#include "support/env.hpp"
#include "support/messages.hpp"
#include "support/store_fixture.hpp"
#include "support/test_db.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

using namespace testing_support;

namespace {

// Cheap scrypt: these tests are about the lifecycle, not the cost of a hash.
const service::Passwords& passwords() {
    static const service::Passwords p({1024, 8, 1});
    return p;
}

struct Stack : StoreFixture {
    service::Profiles profiles{users, redis, prefix, 60, true};
    store::MailQueue mail_queue{redis, prefix};
    service::AccountTokens tokens{redis, prefix};
    service::Outbox outbox{mail_queue};
    service::SessionStore sessions{redis, prefix, 600, 3600};
    service::RateLimits limits{redis, prefix, app::RateLimits{}};
    service::Reauth reauth{users, passwords(), limits, sessions, 5};
    service::Accounts accounts{users, profiles, passwords(), reauth, tokens, outbox};
    store::ApiClientStore client_store{pg};
    service::ApiClients clients{client_store, redis, prefix};

    model::User create(const std::string& username, const std::string& password = "unused") {
        auto user = users.create({username, "Name of " + username, username + "@example.com",
                                  passwords().hash(password)});
        BOOST_TEST_REQUIRE(user.has_value(), "could not create " << username);
        return *user;
    }

    std::string sql_value(const std::string& sql) {
        auto r = pg.exec_sql(sql);
        return store::pg_value(r.get(), 0, 0).value_or("<null>");
    }

    int64_t count_users() { return std::stoll(sql_value("SELECT count(*) FROM users")); }

    // Every column of the row, updated_at to the microsecond, as one comparable string.
    std::string row_of(int64_t id) {
        return sql_value(
            "SELECT concat_ws('|', username, display_name, email, password_hash, roles::text, "
            "enabled, session_generation, created_at, "
            "to_char(updated_at, 'YYYY-MM-DD HH24:MI:SS.US TZ'), last_login_at) "
            "FROM users WHERE id = " +
            std::to_string(id));
    }

    void set_updated_at(int64_t id, const std::string& time) {
        pg.exec_sql("UPDATE users SET updated_at = '" + time +
                    "' WHERE id = " + std::to_string(id));
    }

    bool cached(const std::string& key) { return redis.command({"EXISTS", key}).integer() == 1; }

    std::string token_cache_key(const std::string& token) {
        return keys.api_token(util::sha256_hex(token));
    }
};

std::vector<int64_t> ids_of(const std::vector<model::User>& users) {
    std::vector<int64_t> ids;
    for (const auto& u : users) ids.push_back(u.id);
    return ids;
}

// The field errors of a result that must have failed (a copy: results are often temporaries).
service::FieldErrors errors_of(const std::variant<model::User, service::FieldErrors>& r) {
    BOOST_TEST_REQUIRE(std::holds_alternative<service::FieldErrors>(r), "expected field errors");
    return std::get<service::FieldErrors>(r);
}

using Result = service::ReauthOutcome::Result;

// A re-authentication attempt from session sid.
service::ReauthAttempt attempt_from(const std::string& sid) {
    return {"password_change", sid, "203.0.113.9", "test-request"};
}

// The field errors of a password change that must have failed.
service::FieldErrors errors_of(const service::Accounts::PasswordChange& r) {
    BOOST_TEST_REQUIRE(!r.generation.has_value(), "expected field errors");
    return r.errors;
}

std::vector<std::string> fields_of(const service::FieldErrors& errors) {
    std::vector<std::string> names;
    for (const auto& [name, message] : errors) names.push_back(name);
    return names;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(user_store, Stack)

BOOST_AUTO_TEST_CASE(create_returns_the_new_user_with_defaults) {
    auto user = users.create({"newbie", "New Bie", std::string("newbie@example.com"), "$s1$x"});
    BOOST_REQUIRE(user.has_value());
    BOOST_TEST(user->id > 0);
    BOOST_TEST(user->username == "newbie");
    BOOST_TEST(user->display_name == "New Bie");
    BOOST_TEST(user->email.value_or("<none>") == "newbie@example.com");
    BOOST_TEST(user->roles == (std::vector<std::string>{"user"}));
    BOOST_TEST(user->enabled);
    BOOST_TEST(user->session_generation == 0);
    BOOST_TEST(!user->last_login_at.has_value());
    BOOST_TEST(util::is_rfc3339(user->created_at), user->created_at);
    BOOST_TEST(util::is_rfc3339(user->updated_at), user->updated_at);
    BOOST_TEST(users.find_credentials("newbie")->password_hash == "$s1$x");
    BOOST_TEST(users.find_by_id(user->id)->username == "newbie");
}

BOOST_AUTO_TEST_CASE(create_without_an_email_stores_null) {
    auto user = users.create({"no-mail", "No Mail", std::nullopt, "$s1$x"});
    BOOST_REQUIRE(user.has_value());
    BOOST_TEST(!user->email.has_value());
}

BOOST_AUTO_TEST_CASE(create_with_a_taken_username_is_empty_and_leaves_the_first_user_alone) {
    const auto first = create("casey");
    const std::string before = row_of(first.id);
    BOOST_TEST(!users.create({"casey", "Impostor", std::nullopt, "$s1$other"}).has_value());
    BOOST_TEST(count_users() == 1);
    BOOST_TEST(row_of(first.id) == before);
}

BOOST_AUTO_TEST_CASE(update_checked_passes_the_current_row_to_the_check) {
    const auto user = create("checked");
    model::UserChange change;
    change.display_name = "After";
    std::optional<model::User> seen;
    auto updated = users.update_checked(user.id, change, [&](const model::User& u) { seen = u; });
    BOOST_REQUIRE(seen.has_value());
    BOOST_TEST(seen->id == user.id);
    BOOST_TEST(seen->display_name == "Name of checked");  // before the change
    BOOST_REQUIRE(updated.has_value());
    BOOST_TEST(updated->display_name == "After");
    BOOST_TEST(users.find_by_id(user.id)->display_name == "After");
}

BOOST_AUTO_TEST_CASE(update_checked_rolls_everything_back_when_the_check_throws) {
    const auto user = create("rollback");
    const std::string before = row_of(user.id);
    model::UserChange change;
    change.display_name = "Never Saved";
    change.email = std::optional<std::string>{};
    change.enabled = false;
    change.roles = std::vector<std::string>{"admin"};
    BOOST_CHECK_THROW(users.update_checked(user.id, change,
                                           [](const model::User&) {
                                               throw std::runtime_error("refused by the check");
                                           }),
                      std::runtime_error);
    BOOST_TEST(row_of(user.id) == before);
    // The connection is out of the transaction: the next checked update commits normally.
    model::UserChange rename;
    rename.display_name = "Saved";
    BOOST_TEST(users.update_checked(user.id, rename, [](const model::User&) {})->display_name ==
               "Saved");
    BOOST_TEST(users.find_by_id(user.id)->display_name == "Saved");
}

BOOST_AUTO_TEST_CASE(update_checked_of_a_missing_user_is_empty_and_never_calls_the_check) {
    bool called = false;
    model::UserChange change;
    change.display_name = "Ghost";
    BOOST_TEST(!users.update_checked(987654, change, [&](const model::User&) { called = true; })
                    .has_value());
    BOOST_TEST(!called);
}

BOOST_AUTO_TEST_CASE(disabling_bumps_the_session_generation_exactly_once) {
    const auto user = create("disable-me");
    const auto no_check = [](const model::User&) {};
    model::UserChange disable;
    disable.enabled = false;
    auto first = users.update_checked(user.id, disable, no_check);
    BOOST_REQUIRE(first.has_value());
    BOOST_TEST(!first->enabled);
    BOOST_TEST(first->session_generation == user.session_generation + 1);

    // Already disabled: nothing left to end.
    auto again = users.update_checked(user.id, disable, no_check);
    BOOST_TEST(again->session_generation == user.session_generation + 1);
    model::UserChange rename;
    rename.display_name = "Renamed While Disabled";
    BOOST_TEST(users.update_checked(user.id, rename, no_check)->session_generation ==
               user.session_generation + 1);

    // Enabling does not bump; disabling once more does.
    model::UserChange enable;
    enable.enabled = true;
    auto enabled = users.update_checked(user.id, enable, no_check);
    BOOST_TEST(enabled->enabled);
    BOOST_TEST(enabled->session_generation == user.session_generation + 1);
    BOOST_TEST(users.update(user.id, disable)->session_generation == user.session_generation + 2);
    BOOST_TEST(users.find_by_id(user.id)->session_generation == user.session_generation + 2);
}

BOOST_AUTO_TEST_CASE(set_password_replaces_the_hash_and_bumps_the_generation) {
    const auto user = create("rotate");
    auto generation = users.set_password(user.id, "$s1$second");
    BOOST_REQUIRE(generation.has_value());
    BOOST_TEST(*generation == user.session_generation + 1);
    BOOST_TEST(users.find_credentials_by_id(user.id)->password_hash == "$s1$second");
    BOOST_TEST(users.find_by_id(user.id)->session_generation == *generation);
    BOOST_TEST(users.set_password(user.id, "$s1$third").value_or(-1) == *generation + 1);
    BOOST_TEST(users.find_credentials("rotate")->password_hash == "$s1$third");
}

BOOST_AUTO_TEST_CASE(set_password_of_a_missing_user_is_empty) {
    BOOST_TEST(!users.set_password(987654, "$s1$x").has_value());
}

BOOST_AUTO_TEST_CASE(list_after_walks_ids_upwards_in_pages_of_the_limit) {
    std::vector<int64_t> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(create("after-" + std::to_string(i)).id);
    BOOST_TEST(ids_of(users.list_after(0, 2)) == (std::vector<int64_t>{ids[0], ids[1]}));
    BOOST_TEST(ids_of(users.list_after(ids[1], 2)) == (std::vector<int64_t>{ids[2], ids[3]}));
    BOOST_TEST(ids_of(users.list_after(ids[3], 2)) == (std::vector<int64_t>{ids[4]}));
    BOOST_TEST(users.list_after(ids[4], 2).empty());
    BOOST_TEST(ids_of(users.list_after(0, 100)) == ids);
    // The cursor need not be a live id.
    BOOST_TEST(ids_of(users.list_after(ids[2] - 1, 1)) == (std::vector<int64_t>{ids[2]}));
}

BOOST_AUTO_TEST_CASE(list_newest_walks_ids_downwards_in_pages_of_the_limit) {
    std::vector<int64_t> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(create("newest-" + std::to_string(i)).id);
    const int64_t top = std::numeric_limits<int64_t>::max();
    const auto first = users.list_newest(top, 2);
    BOOST_TEST(ids_of(first) == (std::vector<int64_t>{ids[4], ids[3]}));
    BOOST_TEST(first.front().username == "newest-4");
    BOOST_TEST(ids_of(users.list_newest(ids[3], 2)) == (std::vector<int64_t>{ids[2], ids[1]}));
    BOOST_TEST(ids_of(users.list_newest(ids[1], 2)) == (std::vector<int64_t>{ids[0]}));
    BOOST_TEST(users.list_newest(ids[0], 2).empty());
    BOOST_TEST(ids_of(users.list_newest(top, 100)) ==
               (std::vector<int64_t>{ids[4], ids[3], ids[2], ids[1], ids[0]}));
}

BOOST_AUTO_TEST_CASE(list_updated_pages_through_tied_times_without_skipping_or_repeating) {
    // b sits exactly on `since`, c..f share one updated_at, a is too old, g is the newest.
    // The tied rows are stamped in reverse id order, so only the id can order them.
    std::vector<model::User> made;
    for (const char* name : {"upd-a", "upd-b", "upd-c", "upd-d", "upd-e", "upd-f", "upd-g"})
        made.push_back(create(name));
    set_updated_at(made[0].id, "2026-03-01 11:59:59.999999+00");
    set_updated_at(made[1].id, "2026-03-01 12:00:00+00");
    for (int i = 5; i >= 2; --i) set_updated_at(made[i].id, "2026-03-01 12:00:00.5+00");
    set_updated_at(made[6].id, "2026-03-01 12:00:01+00");
    const std::vector<int64_t> expected = {made[1].id, made[2].id, made[3].id,
                                           made[4].id, made[5].id, made[6].id};

    for (int limit = 1; limit <= 7; ++limit) {
        BOOST_TEST_CONTEXT("limit " << limit) {
            std::vector<int64_t> seen;
            std::optional<std::string> after_time;
            int64_t after_id = 0;
            for (int page_no = 0; page_no < 10; ++page_no) {
                auto page = users.list_updated("2026-03-01T12:00:00Z", after_time, after_id, limit);
                BOOST_TEST_REQUIRE(page.users.size() == page.exact_updated_at.size());
                BOOST_TEST(page.users.size() <= static_cast<size_t>(limit));
                if (page.users.empty()) break;
                for (const auto& u : page.users) seen.push_back(u.id);
                after_time = page.exact_updated_at.back();
                after_id = page.users.back().id;
            }
            BOOST_TEST(seen == expected);
        }
    }
}

BOOST_AUTO_TEST_CASE(list_updated_gives_each_row_its_exact_microsecond_time) {
    const auto user = create("exact");
    set_updated_at(user.id, "2026-03-01 12:00:00.5+00");
    auto page = users.list_updated("2026-03-01T00:00:00Z", std::nullopt, 0, 10);
    BOOST_REQUIRE(page.users.size() == 1u);
    BOOST_TEST(page.users[0].updated_at == "2026-03-01T12:00:00Z");  // what readers see
    BOOST_TEST(page.exact_updated_at[0] == "2026-03-01T12:00:00.500000Z");
    BOOST_TEST(util::is_rfc3339(page.exact_updated_at[0]));
}

BOOST_AUTO_TEST_CASE(list_updated_honours_the_zone_of_since_and_includes_rows_on_it) {
    const auto on = create("on-the-second");
    const auto before = create("just-before");
    set_updated_at(on.id, "2026-03-01 12:00:00+00");
    set_updated_at(before.id, "2026-03-01 11:59:59.999999+00");
    auto page = users.list_updated("2026-03-01T13:00:00+01:00", std::nullopt, 0, 10);
    BOOST_TEST(ids_of(page.users) == (std::vector<int64_t>{on.id}));
}

BOOST_AUTO_TEST_CASE(list_updated_cursor_on_the_last_row_ends_the_listing) {
    const auto user = create("last-one");
    auto page = users.list_updated("2000-01-01T00:00:00Z", std::nullopt, 0, 10);
    BOOST_REQUIRE(page.users.size() == 1u);
    auto rest = users.list_updated("2000-01-01T00:00:00Z", page.exact_updated_at[0], user.id, 10);
    BOOST_TEST(rest.users.empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(registration, Stack)

BOOST_AUTO_TEST_CASE(register_user_reports_every_field_error_at_once) {
    auto result = accounts.register_user({"x", "   ", "", "short"});
    const auto errors = errors_of(result);
    BOOST_TEST(fields_of(errors) ==
               (std::vector<std::string>{"username", "display_name", "email", "password"}));
    BOOST_TEST(count_users() == 0);
}

BOOST_AUTO_TEST_CASE(register_user_explains_each_field_error) {
    const auto errors =
        errors_of(accounts.register_user({"bad name", "Fine", "not-an-email", "eleven-char"}));
    BOOST_TEST_REQUIRE(errors.size() == 3u);
    BOOST_TEST(english(errors[0].second).find("a-z") != std::string::npos, errors[0].second);
    BOOST_TEST(english(errors[1].second) == "Email must look like name@example.com.");
    BOOST_TEST(english(errors[2].second).find("at least 12") != std::string::npos, errors[2].second);
    const auto missing = errors_of(accounts.register_user({"fine", "Fine", "", "long-enough-pw"}));
    BOOST_TEST((missing == service::FieldErrors{{"email", model::MessageId::email_required}}));
}

BOOST_AUTO_TEST_CASE(register_user_lower_cases_the_username_and_stores_a_verifiable_hash) {
    auto result =
        accounts.register_user({"New.User", "New User", "new@example.com", "a-long-enough-pw"});
    BOOST_REQUIRE(std::holds_alternative<model::User>(result));
    const auto& user = std::get<model::User>(result);
    BOOST_TEST(user.username == "new.user");
    BOOST_TEST(user.display_name == "New User");
    BOOST_TEST(user.email.value_or("") == "new@example.com");
    BOOST_TEST(user.roles == (std::vector<std::string>{"user"}));
    BOOST_TEST(user.session_generation == 0);
    auto creds = users.find_credentials("new.user");
    BOOST_REQUIRE(creds.has_value());
    BOOST_TEST(creds->id == user.id);
    BOOST_TEST(creds->password_hash.starts_with("$s1$"));
    BOOST_TEST(passwords().verify("a-long-enough-pw", creds->password_hash));
    BOOST_TEST(!passwords().verify("a-long-enough-PW", creds->password_hash));
}

BOOST_AUTO_TEST_CASE(register_user_with_a_username_taken_in_another_case_is_a_username_error) {
    BOOST_REQUIRE(std::holds_alternative<model::User>(
        accounts.register_user({"casey", "Casey", "casey@example.com", "first-password"})));
    const auto errors = errors_of(
        accounts.register_user({"CaSeY", "Other Casey", "c2@example.com", "second-password"}));
    BOOST_TEST((errors == service::FieldErrors{{"username", model::MessageId::username_taken}}));
    BOOST_TEST(count_users() == 1);
    BOOST_TEST(
        passwords().verify("first-password", users.find_credentials("casey")->password_hash));
}

BOOST_AUTO_TEST_CASE(register_user_refuses_a_password_equal_to_the_username_in_any_case) {
    const auto errors = errors_of(
        accounts.register_user({"Pat-The-User", "Pat", "pat@example.com", "pAT-tHE-uSER"}));
    BOOST_TEST(fields_of(errors) == (std::vector<std::string>{"password"}));
    BOOST_TEST(english(errors[0].second).find("username") != std::string::npos, errors[0].second);
}

BOOST_AUTO_TEST_CASE(registration_queues_a_verification_job_and_an_unverified_address) {
    auto result = accounts.register_user({"verify.me", "Verify Me", "verify@example.com",
                                          "a-long-enough-pw", {"user"}, "pt-BR"});
    BOOST_TEST_REQUIRE(std::holds_alternative<model::User>(result));
    BOOST_TEST(!std::get<model::User>(result).email_verified);
    BOOST_TEST(std::get<model::User>(result).lang == "pt-BR");
    BOOST_TEST(mail_queue.stats().queued == 1);
    const std::string text =
        redis.command({"LINDEX", keys.mail_queue(), "0"}).string().value_or("");
    BOOST_TEST(text.find("\"kind\":\"verify_email\"") != std::string::npos);
    BOOST_TEST(text.find("\"to\":\"verify@example.com\"") != std::string::npos);
    BOOST_TEST(text.find("\"lang\":\"pt-BR\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_new_address_waits_for_its_link_and_the_link_sets_it_verified) {
    const auto user = create("mover", "the-old-password");
    const auto update = accounts.update_profile(
        user, {std::nullopt, std::optional<std::string>("new@example.org")}, "the-old-password",
        attempt_from("mover-session"));
    BOOST_TEST(update.errors.empty());
    BOOST_TEST(update.pending_email.value_or("") == "new@example.org");
    BOOST_TEST(users.find_by_id(user.id)->email.value_or("") == "mover@example.com");
    BOOST_TEST(mail_queue.stats().queued == 2);  // the link to the new address, the notice to the old
    const std::string token = tokens.issue(service::TokenPurpose::verify_email, user.id,
                                           "new@example.org", 60);
    const auto verified = accounts.confirm_email(token);
    BOOST_TEST_REQUIRE(verified.has_value());
    BOOST_TEST(verified->email.value_or("") == "new@example.org");
    BOOST_TEST(verified->email_verified);
    BOOST_TEST(!accounts.confirm_email(token).has_value());  // once
}

BOOST_AUTO_TEST_CASE(a_token_dies_when_a_newer_one_is_issued_or_it_is_revoked) {
    using service::TokenPurpose;
    const std::string first = tokens.issue(TokenPurpose::password_reset, 7, "", 60);
    BOOST_TEST(tokens.peek(TokenPurpose::password_reset, first).has_value());
    const std::string second = tokens.issue(TokenPurpose::password_reset, 7, "", 60);
    BOOST_TEST(!tokens.peek(TokenPurpose::password_reset, first).has_value());
    BOOST_TEST(tokens.peek(TokenPurpose::password_reset, second)->user_id == 7);
    // A token of one purpose is nothing for the other.
    BOOST_TEST(!tokens.peek(TokenPurpose::verify_email, second).has_value());
    tokens.revoke(TokenPurpose::password_reset, 7);
    BOOST_TEST(!tokens.redeem(TokenPurpose::password_reset, second).has_value());
}

BOOST_AUTO_TEST_CASE(change_password_with_a_wrong_current_password_changes_nothing) {
    const auto user = create("wrong-current", "the-old-password");
    const std::string before = row_of(user.id);
    const auto result = accounts.change_password(user, "not-the-password", "a-new-password",
                                                 attempt_from("some-session"));
    BOOST_TEST(fields_of(errors_of(result)) == (std::vector<std::string>{"current_password"}));
    BOOST_TEST(int(result.reauth.result) == int(Result::wrong_password));
    BOOST_TEST(row_of(user.id) == before);
}

BOOST_AUTO_TEST_CASE(change_password_with_an_invalid_new_password_changes_nothing) {
    const auto user = create("short-new-user", "the-old-password");
    const std::string before = row_of(user.id);
    const auto attempt = attempt_from("some-session");
    const auto short_one =
        errors_of(accounts.change_password(user, "the-old-password", "too-short", attempt));
    BOOST_TEST(fields_of(short_one) == (std::vector<std::string>{"new_password"}));
    const auto same =
        errors_of(accounts.change_password(user, "the-old-password", "SHORT-NEW-USER", attempt));
    BOOST_TEST(fields_of(same) == (std::vector<std::string>{"new_password"}));
    BOOST_TEST(english(same[0].second).find("username") != std::string::npos, same[0].second);
    BOOST_TEST(row_of(user.id) == before);
}

BOOST_AUTO_TEST_CASE(change_password_refuses_oversized_or_nul_passwords_before_any_hashing) {
    const auto user = create("oversized-pw", "the-old-password");
    const std::string before = row_of(user.id);
    const auto attempt = attempt_from("some-session");
    // A user id that does not exist: had the current password been looked up and hashed, the
    // answer would be "not correct"; the length error shows it was refused before that.
    model::User ghost = user;
    ghost.id = std::numeric_limits<int64_t>::max();
    const std::string long_one(129, 'p');
    const auto current =
        errors_of(accounts.change_password(ghost, long_one, "a-new-password", attempt));
    BOOST_TEST(fields_of(current) == (std::vector<std::string>{"current_password"}));
    BOOST_TEST(english(current[0].second).find("at most 128") != std::string::npos, current[0].second);
    const auto next = errors_of(accounts.change_password(ghost, "whatever", long_one, attempt));
    BOOST_TEST(fields_of(next) == (std::vector<std::string>{"new_password"}));
    BOOST_TEST(english(next[0].second).find("at most 128") != std::string::npos, next[0].second);
    // "the-old-password\0" would match the stored hash inside scrypt; it is refused instead.
    const auto nul = errors_of(accounts.change_password(
        user, std::string("the-old-password\0", 17), "a-new-password", attempt));
    BOOST_TEST(fields_of(nul) == (std::vector<std::string>{"current_password"}));
    BOOST_TEST(row_of(user.id) == before);
}

BOOST_AUTO_TEST_CASE(reauth_refuses_oversized_or_nul_passwords_without_hashing_them) {
    // The stored hash really is of these 129 characters (Passwords::hash has no length rule),
    // so only the length check before hashing can make the answer "wrong".
    const std::string long_one(129, 'q');
    const auto user = create("long-current", long_one);
    const std::string sid = sessions.create(user.id, user.session_generation);
    BOOST_TEST(passwords().verify(long_one, users.find_credentials("long-current")->password_hash));
    BOOST_TEST(int(reauth.check(user, long_one, attempt_from(sid)).result) ==
               int(Result::wrong_password));
    const std::string at_limit(128, 'q');
    const auto other = create("limit-current", at_limit);
    BOOST_TEST(int(reauth.check(other, at_limit, attempt_from(sid)).result) ==
               int(Result::confirmed));
    // "the-old-password\0" would match the stored hash inside scrypt; it is refused instead.
    const auto nul_user = create("nul-current", "the-old-password");
    BOOST_TEST(int(reauth.check(nul_user, std::string("the-old-password\0", 17), attempt_from(sid))
                       .result) == int(Result::wrong_password));
}

// Finding 3 of the second security review: with a stolen session, the current password could be
// guessed at hashing speed, unlimited and unlogged.
BOOST_AUTO_TEST_CASE(reauth_failures_end_the_session_at_the_fifth_and_count_for_the_account) {
    const auto user = create("reauth-target", "the-real-password");
    const std::string sid = sessions.create(user.id, user.session_generation);
    for (int i = 1; i <= 4; ++i)
        BOOST_TEST(
            int(reauth.check(user, "guess-" + std::to_string(i), attempt_from(sid)).result) ==
            int(Result::wrong_password));
    BOOST_TEST(sessions.touch(sid).has_value());
    // The account's login limit saw them: its free failures (5) are almost spent.
    BOOST_TEST(int(reauth.check(user, "guess-5", attempt_from(sid)).result) ==
               int(Result::session_ended));
    BOOST_TEST(!sessions.touch(sid).has_value());
    // The next attempt, from any session, now waits like a sixth failed login would.
    const std::string other = sessions.create(user.id, user.session_generation);
    const auto limited = reauth.check(user, "the-real-password", attempt_from(other));
    BOOST_TEST(int(limited.result) == int(Result::limited));
    BOOST_TEST(limited.verdict.reason == "delay");
}

BOOST_AUTO_TEST_CASE(a_right_password_starts_the_sessions_count_again) {
    const auto user = create("reauth-owner", "the-real-password");
    const std::string sid = sessions.create(user.id, user.session_generation);
    for (int round = 0; round < 2; ++round) {
        for (int i = 0; i < 3; ++i)
            BOOST_TEST(int(reauth.check(user, "typo", attempt_from(sid)).result) ==
                       int(Result::wrong_password));
        BOOST_TEST(int(reauth.check(user, "the-real-password", attempt_from(sid)).result) ==
                   int(Result::confirmed));
    }
    BOOST_TEST(sessions.touch(sid).has_value());  // 6 typos in all, never 5 in a row
}

BOOST_AUTO_TEST_CASE(change_password_stores_the_new_hash_and_returns_a_new_generation) {
    const auto user = create("changer", "the-old-password");
    BOOST_REQUIRE(profiles.get(user.id).has_value());  // warm the cache
    BOOST_REQUIRE(cached(keys.profile(user.id)));
    const auto result = accounts.change_password(user, "the-old-password", "the-new-password",
                                                 attempt_from("some-session"));
    BOOST_REQUIRE(result.generation.has_value());
    const int generation = *result.generation;
    BOOST_TEST(generation == user.session_generation + 1);
    const auto hash = users.find_credentials_by_id(user.id)->password_hash;
    BOOST_TEST(passwords().verify("the-new-password", hash));
    BOOST_TEST(!passwords().verify("the-old-password", hash));
    // The cached profile held the old generation; it must not outlive the change.
    auto copy = redis.command({"GET", keys.profile(user.id)});
    BOOST_TEST(copy.string().value_or("-") == "-");  // gone or a tombstone
    BOOST_TEST(profiles.get(user.id)->session_generation == generation);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(api_clients, Stack)

BOOST_AUTO_TEST_CASE(created_token_authenticates_its_client_with_its_scopes) {
    const std::string token = clients.create("reporting", {"users:read", "users:write"});
    BOOST_TEST(token.starts_with("lgn_"));
    BOOST_TEST(token.size() == 4u + 43u);
    auto client = clients.authenticate(token, std::nullopt);
    BOOST_REQUIRE(client.has_value());
    BOOST_TEST(client->id > 0);
    BOOST_TEST(client->name == "reporting");
    BOOST_TEST(client->scopes == (std::vector<std::string>{"users:read", "users:write"}));
    // Only a hash of the token reaches the database.
    BOOST_TEST(sql_value("SELECT count(*) FROM api_tokens WHERE token_sha256 = '" +
                         util::sha256_hex(token) + "'") == "1");
}

BOOST_AUTO_TEST_CASE(authenticate_serves_the_second_call_from_the_cache) {
    const std::string token = clients.create("cached", {"users:read"});
    BOOST_REQUIRE(clients.authenticate(token, std::nullopt).has_value());
    BOOST_TEST(cached(token_cache_key(token)));
    const uint64_t before = pg.queries();
    BOOST_TEST(clients.authenticate(token, std::nullopt)->name == "cached");
    BOOST_TEST(pg.queries() == before);
}

BOOST_AUTO_TEST_CASE(a_fixed_token_is_imported_as_given_and_must_look_like_a_token) {
    const std::string fixed = "fixed-token-0123456789abcdefghijkl";
    const std::string token = clients.create("demo", {"users:read"}, fixed);
    BOOST_TEST(token == fixed);
    BOOST_TEST(clients.authenticate(fixed, std::nullopt)->name == "demo");
    // authenticate() refuses anything shorter than 32 characters unseen, so it could never work.
    BOOST_CHECK_THROW(clients.create("short", {"users:read"}, std::string("fixed-token-0123")),
                      std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(an_unknown_token_is_remembered_as_rejected_until_it_is_issued) {
    const std::string fixed = "imported-later-0123456789abcdefghij";
    BOOST_TEST(!clients.authenticate(fixed, std::nullopt).has_value());
    auto cached = redis.command({"GET", token_cache_key(fixed)});
    BOOST_TEST(cached.string().value_or("<none>") == "-");
    clients.create("later", {"users:read"}, fixed);
    BOOST_TEST(clients.authenticate(fixed, std::nullopt).value_or(store::ApiClient{}).name ==
               "later");
}

BOOST_AUTO_TEST_CASE(add_token_gives_a_second_working_token_to_the_same_client) {
    const std::string first = clients.create("rotating", {"users:read"});
    const std::string second = clients.add_token("rotating");
    BOOST_TEST(second != first);
    auto a = clients.authenticate(first, std::nullopt);
    auto b = clients.authenticate(second, std::nullopt);
    BOOST_REQUIRE(a.has_value());
    BOOST_REQUIRE(b.has_value());
    BOOST_TEST(a->id == b->id);
    BOOST_TEST(b->name == "rotating");
}

BOOST_AUTO_TEST_CASE(revoke_ends_cached_tokens_at_once) {
    const std::string first = clients.create("leaving", {"users:read"});
    const std::string second = clients.add_token("leaving");
    BOOST_REQUIRE(clients.authenticate(first, std::nullopt).has_value());
    BOOST_REQUIRE(clients.authenticate(second, std::nullopt).has_value());
    BOOST_REQUIRE(cached(token_cache_key(first)));
    BOOST_TEST(clients.revoke("leaving", std::nullopt) == 2u);
    BOOST_TEST(!clients.authenticate(first, std::nullopt).has_value());
    BOOST_TEST(!clients.authenticate(second, std::nullopt).has_value());
    // The cache keeps a tombstone, so a lookup racing the revocation cannot re-cache it.
    BOOST_TEST(redis.command({"GET", token_cache_key(first)}).string().value_or("") == "-");
    BOOST_TEST(clients.revoke("leaving", std::nullopt) == 0u);  // nothing left to revoke
}

BOOST_AUTO_TEST_CASE(revoking_one_token_leaves_the_other_working) {
    const std::string keep = clients.create("rotation", {"users:read"});
    const std::string drop = clients.add_token("rotation");
    BOOST_REQUIRE(clients.authenticate(keep, std::nullopt).has_value());
    BOOST_REQUIRE(clients.authenticate(drop, std::nullopt).has_value());
    const int64_t drop_id = std::stoll(sql_value(
        "SELECT id FROM api_tokens WHERE token_sha256 = '" + util::sha256_hex(drop) + "'"));
    BOOST_TEST(clients.revoke("rotation", drop_id) == 1u);
    BOOST_TEST(!clients.authenticate(drop, std::nullopt).has_value());
    BOOST_TEST(clients.authenticate(keep, std::nullopt).has_value());
}

BOOST_AUTO_TEST_CASE(legacy_application_name_must_name_the_tokens_client) {
    const std::string token = clients.create("billing", {"users:read"});
    clients.create("other", {"users:read"});
    BOOST_TEST(!clients.authenticate(token, std::string_view("other")).has_value());
    BOOST_TEST(clients.authenticate(token, std::string_view("billing"))->name == "billing");
    // Served from the cache now, and still checked.
    BOOST_REQUIRE(cached(token_cache_key(token)));
    BOOST_TEST(!clients.authenticate(token, std::string_view("other")).has_value());
    BOOST_TEST(!clients.authenticate(token, std::string_view("Billing")).has_value());
}

BOOST_AUTO_TEST_CASE(unknown_empty_and_oversized_tokens_authenticate_nobody) {
    clients.create("someone", {"users:read"});
    BOOST_TEST(!clients.authenticate("lgn_not-a-real-token", std::nullopt).has_value());
    BOOST_TEST(!clients.authenticate("", std::nullopt).has_value());
    BOOST_TEST(!clients.authenticate(std::string(257, 'a'), std::nullopt).has_value());
}

BOOST_AUTO_TEST_CASE(create_refuses_unknown_scopes_bad_names_and_taken_names) {
    clients.create("taken", {"users:read"});
    const std::vector<std::pair<std::string, std::vector<std::string>>> bad = {
        {"fresh", {"users:delete"}},
        {"fresh", {"users:read", "admin"}},
        {"fresh", {}},
        {"", {"users:read"}},
        {"Capital", {"users:read"}},
        {"has space", {"users:read"}},
        {"pipe|name", {"users:read"}},
        {std::string(65, 'a'), {"users:read"}},
        {"taken", {"users:read"}},
        {"taken", {"users:write"}},
    };
    for (const auto& [name, scopes] : bad) {
        BOOST_TEST_CONTEXT("name '" << name << "' with " << scopes.size() << " scopes") {
            BOOST_CHECK_THROW(clients.create(name, scopes), std::invalid_argument);
        }
    }
    BOOST_TEST(sql_value("SELECT count(*) FROM api_clients") == "1");
    BOOST_TEST(sql_value("SELECT count(*) FROM api_tokens") == "1");
}

BOOST_AUTO_TEST_CASE(add_token_for_an_unknown_client_is_invalid) {
    BOOST_CHECK_THROW(clients.add_token("nobody"), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
