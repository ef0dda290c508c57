// GET /api/v1/users: keyset pages that visit every user exactly once, the limit and cursor
// rules, and delta sync with updated_since in (updated_at, id) order.
#define BOOST_TEST_MODULE e2e_api_list
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>
#include <map>
#include <ostream>
#include <span>
#include <vector>

#include "e2e/api_fixtures.hpp"
#include "util/text.hpp"

using namespace testing_support;
namespace data = boost::unit_test::data;
using e2e::bearer;
using e2e::kDemoToken;

using e2e::EveryApiResponseChecked;
BOOST_TEST_GLOBAL_FIXTURE(EveryApiResponseChecked);

namespace {

const std::string kRead = bearer(kDemoToken);

// One page of a listing as the client sees it.
struct Page {
    long status = 0;
    std::vector<int64_t> ids;
    std::vector<std::string> usernames;
    std::optional<std::string> next;  // nullopt for a JSON null
    std::string link;                 // the Link header, "" when absent
};

Page fetch_page(const std::string& path) {
    const auto r = get(path, {kRead});
    Page page;
    page.status = r.status;
    page.link = r.header("link");
    if (r.status != 200) return page;
    auto doc = e2e::json_body(r);
    BOOST_TEST_REQUIRE(e2e::keys_of(doc.get()) == (std::set<std::string>{"data", "next"}));
    size_t i;
    json_t* user;
    json_array_foreach(json_object_get(doc.get(), "data"), i, user) {
        page.ids.push_back(e2e::json_int(user, "id"));
        page.usernames.push_back(e2e::json_string(user, "username"));
    }
    const json_t* next = json_object_get(doc.get(), "next");
    BOOST_TEST_REQUIRE((json_is_null(next) || json_is_string(next)), path << ": next is neither");
    if (json_is_string(next)) page.next = json_string_value(next);
    return page;
}

// The target of a `Link: <target>; rel="next"` header, or "" when the header is not that.
std::string next_link_target(const std::string& link) {
    const std::string suffix = R"(>; rel="next")";
    if (!link.starts_with("<") || !link.ends_with(suffix)) return "";
    return link.substr(1, link.size() - 1 - suffix.size());
}

// The query parameters of a path such as /api/v1/users?limit=2&after=x, decoded.
std::map<std::string, std::string> query_of(const std::string& path) {
    std::map<std::string, std::string> out;
    const size_t q = path.find('?');
    if (q == std::string::npos) return out;
    for (auto& [name, value] : http::parse_urlencoded(path.substr(q + 1))) out[name] = value;
    return out;
}

// Every page of a listing, from `first` on, following `next` until it is null.
std::vector<Page> walk(const std::string& first, const std::string& params_for_next) {
    std::vector<Page> pages;
    std::string path = first;
    for (;;) {
        pages.push_back(fetch_page(path));
        const Page& page = pages.back();
        BOOST_TEST_REQUIRE(page.status == 200, path << " returned " << page.status);
        if (!page.next) break;
        BOOST_TEST_REQUIRE(pages.size() < 1000u, "the walk does not end");
        path = "/api/v1/users?" + params_for_next + "&after=" + util::url_encode(*page.next);
    }
    return pages;
}

std::vector<Page> walk_ids(int limit) {
    const std::string params = "limit=" + std::to_string(limit);
    return walk("/api/v1/users?" + params, params);
}

// 2,500 users of their own, inserted once for the whole pagination suite.
e2e::UserBatch& many_users() {
    static e2e::UserBatch batch("pg", 2500);
    return batch;
}

const std::vector<int> kLimits = {1000, 333};

}  // namespace

BOOST_AUTO_TEST_SUITE(pagination)

BOOST_DATA_TEST_CASE(walking_every_page_returns_each_inserted_user_exactly_once,
                     data::make(kLimits), limit) {
    const auto& batch = many_users();
    std::map<int64_t, int> seen;
    for (const auto& page : walk_ids(limit))
        for (size_t i = 0; i < page.ids.size(); ++i)
            if (page.usernames[i].starts_with(batch.prefix())) ++seen[page.ids[i]];
    BOOST_TEST(seen.size() == batch.ids().size());
    for (int64_t id : batch.ids()) BOOST_TEST(seen[id] == 1, "user " << id);
}

BOOST_DATA_TEST_CASE(walking_every_page_returns_ids_in_strictly_increasing_order,
                     data::make(kLimits), limit) {
    many_users();
    int64_t previous = 0;
    for (const auto& page : walk_ids(limit)) {
        for (int64_t id : page.ids) {
            BOOST_TEST(id > previous);
            previous = id;
        }
    }
}

BOOST_DATA_TEST_CASE(every_page_but_the_last_is_full_and_none_exceeds_the_limit,
                     data::make(kLimits), limit) {
    many_users();
    const auto pages = walk_ids(limit);
    BOOST_TEST_REQUIRE(pages.size() >= 3u);
    for (size_t i = 0; i < pages.size(); ++i) {
        BOOST_TEST(pages[i].ids.size() <= static_cast<size_t>(limit), "page " << i);
        if (i + 1 < pages.size())
            BOOST_TEST(pages[i].ids.size() == static_cast<size_t>(limit), "page " << i);
    }
}

BOOST_DATA_TEST_CASE(link_header_names_the_same_cursor_as_next, data::make(kLimits), limit) {
    many_users();
    for (const auto& page : walk_ids(limit)) {
        if (!page.next) continue;
        const std::string target = next_link_target(page.link);
        BOOST_TEST_REQUIRE(target.starts_with("/api/v1/users?"), page.link);
        auto query = query_of(target);
        BOOST_TEST(query["after"] == *page.next);
        BOOST_TEST(query["limit"] == std::to_string(limit));
        BOOST_TEST(query.size() == 2u, target);
    }
}

BOOST_AUTO_TEST_CASE(following_the_link_header_gives_the_same_pages_as_following_next) {
    many_users();
    const auto by_next = walk_ids(1000);
    std::vector<Page> by_link;
    std::string path = "/api/v1/users?limit=1000";
    for (;;) {
        by_link.push_back(fetch_page(path));
        BOOST_TEST_REQUIRE(by_link.back().status == 200);
        if (by_link.back().link.empty()) break;
        BOOST_TEST_REQUIRE(by_link.size() < 100u);
        path = next_link_target(by_link.back().link);
        BOOST_TEST_REQUIRE(!path.empty(), by_link.back().link);
    }
    BOOST_TEST_REQUIRE(by_link.size() == by_next.size());
    for (size_t i = 0; i < by_link.size(); ++i)
        BOOST_TEST(by_link[i].ids == by_next[i].ids, "page " << i);
}

BOOST_DATA_TEST_CASE(last_page_has_a_null_next_and_no_link_header, data::make(kLimits), limit) {
    many_users();
    const auto pages = walk_ids(limit);
    BOOST_TEST(!pages.back().next.has_value());
    BOOST_TEST(pages.back().link == "");
    for (size_t i = 0; i + 1 < pages.size(); ++i) BOOST_TEST(pages[i].next.has_value());
}

BOOST_AUTO_TEST_CASE(default_limit_is_100) {
    many_users();
    const auto page = fetch_page("/api/v1/users");
    BOOST_TEST(page.status == 200);
    BOOST_TEST(page.ids.size() == 100u);
    BOOST_TEST(page.next.has_value());
    BOOST_TEST(query_of(next_link_target(page.link))["limit"] == "100");
}

BOOST_AUTO_TEST_CASE(limit_of_1_returns_one_user) {
    many_users();
    const auto page = fetch_page("/api/v1/users?limit=1");
    BOOST_TEST(page.status == 200);
    BOOST_TEST(page.ids.size() == 1u);
    BOOST_TEST(page.next.has_value());
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// One query string the listing must refuse with 400.
struct BadQuery {
    const char* name;
    std::string query;
};

std::ostream& operator<<(std::ostream& os, const BadQuery& q) {
    return os << q.name;
}

// clang-format off
const std::vector<BadQuery> kBadQueries = {
    {"limit_zero", "limit=0"},
    {"limit_above_1000", "limit=1001"},
    {"limit_negative", "limit=-1"},
    {"limit_not_a_number", "limit=abc"},
    {"limit_empty", "limit="},
    {"limit_fraction", "limit=1.5"},
    {"limit_with_a_plus_sign", "limit=%2B5"},
    {"limit_with_a_trailing_space", "limit=5%20"},
    {"limit_overflowing_64_bits", "limit=99999999999999999999"},
    {"unknown_parameter", "page=2"},
    {"unknown_parameter_next_to_a_good_one", "limit=5&offset=10"},
    {"repeated_limit", "limit=5&limit=6"},
    {"repeated_limit_with_equal_values", "limit=5&limit=5"},
    {"after_garbage", "after=garbage"},
    {"after_not_base64url", "after=%2F%2F%2F"},
    {"after_empty", "after="},
    {"after_base64_of_a_non_cursor", "after=aGVsbG8"},       // "hello"
    {"after_id_cursor_that_is_not_a_number", "after=aXh5eg"},  // "ixyz"
    {"updated_since_february_30", "updated_since=2026-02-30T00:00:00Z"},
    {"updated_since_a_word", "updated_since=yesterday"},
    {"updated_since_a_date_only", "updated_since=2026-01-01"},
    {"updated_since_without_a_zone", "updated_since=2026-01-01T00:00:00"},
    {"updated_since_hour_24", "updated_since=2026-01-01T24:00:00Z"},
    {"updated_since_empty", "updated_since="},
    {"updated_since_with_an_unencoded_plus_offset", "updated_since=2026-01-01T00:00:00+01:00"},
    {"repeated_updated_since", "updated_since=2026-01-01T00:00:00Z&updated_since=2026-01-02T00:00:00Z"},
};
// clang-format on

void check_bad_request(const HttpResponse& r) {
    BOOST_TEST(r.status == 400);
    BOOST_TEST(r.header("content-type").starts_with("application/json"));
    BOOST_TEST(e2e::json_error_code(r) != "<absent>");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bad_queries)

BOOST_DATA_TEST_CASE(bad_query_is_400_with_a_json_error, data::make(kBadQueries), q) {
    check_bad_request(get("/api/v1/users?" + q.query, {kRead}));
}

BOOST_DATA_TEST_CASE(alias_refuses_the_same_bad_query_with_400, data::make(kBadQueries), q) {
    check_bad_request(get("/users?" + q.query, {kRead}));
}

namespace {

std::string cursor_of(const std::string& raw) {
    return util::base64url_encode(
        std::span(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()));
}

// Times that pass the service's RFC 3339 check but that PostgreSQL refuses.
const std::vector<BadQuery> kTimesPostgresRefuses = {
    {"updated_since_year_zero", "updated_since=0000-01-01T00:00:00Z"},
    {"updated_since_offset_of_16_hours", "updated_since=2026-01-01T00:00:00%2B16:00"},
    {"updated_since_offset_of_23_hours", "updated_since=2026-01-01T00:00:00-23:00"},
    {"delta_cursor_with_year_zero",
     "updated_since=2026-01-01T00:00:00Z&after=" + cursor_of("u0000-01-01T00:00:00Z|1")},
};

}  // namespace

BOOST_DATA_TEST_CASE(updated_since_the_database_cannot_represent_is_400_not_503,
                     data::make(kTimesPostgresRefuses), q) {
    check_bad_request(get("/api/v1/users?" + q.query, {kRead}));
}

BOOST_AUTO_TEST_CASE(limit_of_1000_is_accepted) {
    BOOST_TEST(get("/api/v1/users?limit=1000", {kRead}).status == 200);
}

BOOST_AUTO_TEST_SUITE_END()

namespace {

// One client that may read and change users, for the whole program.
const e2e::ApiClient& shared_writer() {
    static const e2e::ApiClient writer({"users:read", "users:write"});
    return writer;
}

// Four users of their own and a client that may change them.
struct DeltaUsers {
    e2e::UserBatch users{"dl", 4};
    const e2e::ApiClient& writer = shared_writer();

    int64_t id(size_t n) const { return users.ids().at(n); }

    void patch_display_name(size_t n, const std::string& name) {
        const auto r = send_json("PATCH", "/api/v1/users/" + std::to_string(id(n)),
                                 R"({"display_name":")" + name + R"("})", {writer.auth()});
        BOOST_TEST_REQUIRE(r.status == 200);
    }

    // Sets updated_at of user n to `base` plus `micros` microseconds, straight in the database.
    void set_updated_at(size_t n, const std::string& base, int micros) {
        users.pg().exec_sql("UPDATE users SET updated_at = '" + base +
                            "'::timestamptz + interval '" + std::to_string(micros) +
                            " microseconds' WHERE id = " + std::to_string(id(n)));
    }

    // The ids of this fixture's users in every page of the delta listing since `since`.
    std::vector<int64_t> delta_ids(const std::string& since, int limit,
                                   std::vector<Page>* pages_out = nullptr) {
        const std::string params =
            "limit=" + std::to_string(limit) + "&updated_since=" + util::url_encode(since);
        auto pages = walk("/api/v1/users?" + params, params);
        std::vector<int64_t> ids;
        for (const auto& page : pages)
            for (size_t i = 0; i < page.ids.size(); ++i)
                if (page.usernames[i].starts_with(users.prefix())) ids.push_back(page.ids[i]);
        if (pages_out) *pages_out = std::move(pages);
        return ids;
    }

    // A time one day ahead of the database's clock, on a whole second: no other row has
    // an updated_at there, so the listing holds only what the test puts there.
    std::string future_second() {
        auto r = users.pg().exec_sql(
            "SELECT to_char(date_trunc('second', now() + interval '1 day') AT TIME ZONE 'UTC', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
        return *store::pg_value(r.get(), 0, 0);
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(delta_sync, DeltaUsers)

BOOST_AUTO_TEST_CASE(updated_since_lists_exactly_the_users_patched_since) {
    const std::string since = e2e::database_time(users.pg());
    patch_display_name(2, "Changed Two");
    patch_display_name(0, "Changed Zero");
    patch_display_name(3, "Changed Three");
    const auto ids = delta_ids(since, 1000);
    BOOST_TEST(ids == (std::vector<int64_t>{id(2), id(0), id(3)}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(delta_pages_of_two_cover_the_patched_users_once_in_update_order) {
    const std::string since = e2e::database_time(users.pg());
    patch_display_name(3, "Changed Three");
    patch_display_name(1, "Changed One");
    patch_display_name(2, "Changed Two");
    std::vector<Page> pages;
    const auto ids = delta_ids(since, 2, &pages);
    BOOST_TEST(ids == (std::vector<int64_t>{id(3), id(1), id(2)}),
               boost::test_tools::per_element());
    BOOST_TEST(pages.size() >= 2u);
    for (const auto& page : pages) BOOST_TEST(page.ids.size() <= 2u);
}

BOOST_AUTO_TEST_CASE(delta_link_header_keeps_updated_since_and_the_cursor) {
    const std::string since = e2e::database_time(users.pg());
    patch_display_name(0, "Changed Zero");
    patch_display_name(1, "Changed One");
    const auto first = fetch_page("/api/v1/users?limit=1&updated_since=" + util::url_encode(since));
    BOOST_TEST_REQUIRE(first.status == 200);
    BOOST_TEST_REQUIRE(first.next.has_value());
    auto query = query_of(next_link_target(first.link));
    BOOST_TEST(query["updated_since"] == since);
    BOOST_TEST(query["after"] == *first.next);
    BOOST_TEST(query["limit"] == "1");
}

BOOST_AUTO_TEST_CASE(delta_listing_orders_by_update_time_then_id) {
    const std::string t = future_second();
    set_updated_at(3, t, 100);
    set_updated_at(0, t, 200);
    set_updated_at(1, t, 200);
    set_updated_at(2, t, 300);
    const auto ids = delta_ids(t, 1000);
    BOOST_TEST(ids == (std::vector<int64_t>{id(3), id(0), id(1), id(2)}),
               boost::test_tools::per_element());
}

// All four share one second, two of them one microsecond, and a page boundary falls
// between those two: the cursor must keep the full precision and the id.
BOOST_AUTO_TEST_CASE(delta_pages_neither_skip_nor_repeat_users_changed_in_the_same_second) {
    const std::string t = future_second();
    set_updated_at(3, t, 100);
    set_updated_at(0, t, 200);
    set_updated_at(1, t, 200);
    set_updated_at(2, t, 300);
    for (int limit : {1, 2, 3}) {
        BOOST_TEST_CONTEXT("limit=" << limit) {
            BOOST_TEST(delta_ids(t, limit) == (std::vector<int64_t>{id(3), id(0), id(1), id(2)}),
                       boost::test_tools::per_element());
        }
    }
}

BOOST_AUTO_TEST_CASE(delta_listing_that_ends_on_a_full_page_has_no_empty_page_after_it) {
    const std::string t = future_second();
    for (size_t n = 0; n < 4; ++n) set_updated_at(n, t, static_cast<int>(n));
    std::vector<Page> pages;
    delta_ids(t, 2, &pages);
    BOOST_TEST_REQUIRE(pages.size() == 2u);
    BOOST_TEST(pages[1].ids.size() == 2u);
    BOOST_TEST(!pages[1].next.has_value());
    BOOST_TEST(pages[1].link == "");
}

BOOST_AUTO_TEST_CASE(updated_since_includes_users_changed_at_exactly_that_time) {
    const std::string t = future_second();
    set_updated_at(0, t, 0);
    set_updated_at(1, t, 500000);
    BOOST_TEST(delta_ids(t, 1000) == (std::vector<int64_t>{id(0), id(1)}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(updated_since_with_a_numeric_offset_means_the_same_instant) {
    const std::string t = future_second();  // ...Z
    set_updated_at(0, t, 0);
    set_updated_at(1, t, 1000);
    // The same instant written in UTC+02:00: the hour moves, the day may too, so let the
    // database spell it.
    auto r = users.pg().exec_sql("SELECT to_char('" + t +
                                 "'::timestamptz AT TIME ZONE INTERVAL '+02:00', "
                                 "'YYYY-MM-DD\"T\"HH24:MI:SS\"+02:00\"')");
    const std::string shifted = *store::pg_value(r.get(), 0, 0);
    BOOST_TEST(delta_ids(shifted, 1000) == delta_ids(t, 1000), boost::test_tools::per_element());
    BOOST_TEST(delta_ids(shifted, 1000).size() == 2u);
}

BOOST_AUTO_TEST_CASE(updated_since_beyond_every_change_lists_nothing) {
    const std::string t = future_second();
    set_updated_at(0, t, 0);
    const auto page = fetch_page("/api/v1/users?updated_since=" +
                                 util::url_encode(e2e::database_time(users.pg(), "2 days")));
    BOOST_TEST(page.status == 200);
    BOOST_TEST(page.ids.empty());
    BOOST_TEST(!page.next.has_value());
    BOOST_TEST(page.link == "");
}

BOOST_AUTO_TEST_CASE(login_shows_up_in_delta_sync) {
    const e2e::TestUser person;
    const std::string since = e2e::database_time(users.pg());
    person.login();
    const std::string params = "limit=1000&updated_since=" + util::url_encode(since);
    bool listed = false;
    for (const auto& page : walk("/api/v1/users?" + params, params))
        for (int64_t id : page.ids) listed = listed || id == person.id();
    BOOST_TEST(listed);
}

BOOST_AUTO_TEST_CASE(delta_cursor_without_updated_since_is_400) {
    const std::string t = future_second();
    set_updated_at(0, t, 0);
    set_updated_at(1, t, 1);
    const auto first = fetch_page("/api/v1/users?limit=1&updated_since=" + util::url_encode(t));
    BOOST_TEST_REQUIRE(first.next.has_value());
    check_bad_request(get("/api/v1/users?after=" + util::url_encode(*first.next), {kRead}));
}

BOOST_AUTO_TEST_CASE(id_cursor_with_updated_since_is_400) {
    const auto first = fetch_page("/api/v1/users?limit=1");
    BOOST_TEST_REQUIRE(first.next.has_value());
    check_bad_request(get(
        "/api/v1/users?updated_since=2026-01-01T00:00:00Z&after=" + util::url_encode(*first.next),
        {kRead}));
}

BOOST_AUTO_TEST_SUITE_END()
