// The REST API for other systems: GET /api/v1/users (keyset pages, delta sync),
// GET and PATCH /api/v1/users/{id}.
#include <string>

#include "http/error.hpp"
#include "routes/api.hpp"
#include "routes/body.hpp"
#include "routes/routes.hpp"
#include "service/user_json.hpp"
#include "util/json.hpp"
#include "util/text.hpp"

namespace routes {
namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;

http::Error bad_parameter(const std::string& message) {
    return http::Error(400, "invalid_parameter", message);
}

// Cursors are opaque to clients: base64url of "i<id>" (id order) or "u<updated_at>|<id>"
// (delta sync order).
struct Cursor {
    std::optional<std::string> updated_at;
    int64_t id = 0;
};

std::string encode_cursor(const Cursor& c) {
    const std::string raw = c.updated_at ? "u" + *c.updated_at + "|" + std::to_string(c.id)
                                         : "i" + std::to_string(c.id);
    return util::base64url_encode(
        std::span(reinterpret_cast<const uint8_t*>(raw.data()), raw.size()));
}

Cursor decode_cursor(std::string_view text, bool delta) {
    auto raw = util::base64url_decode(text);
    if (!raw || raw->empty() || (*raw)[0] != (delta ? 'u' : 'i'))
        throw bad_parameter("after is not a cursor from this listing.");
    Cursor c;
    std::string_view id_part = std::string_view(*raw).substr(1);
    if (delta) {
        const size_t bar = id_part.find('|');
        if (bar == std::string_view::npos || !util::is_rfc3339(id_part.substr(0, bar)))
            throw bad_parameter("after is not a cursor from this listing.");
        c.updated_at = std::string(id_part.substr(0, bar));
        id_part = id_part.substr(bar + 1);
    }
    auto id = util::parse_uint(id_part, INT64_MAX);
    if (!id) throw bad_parameter("after is not a cursor from this listing.");
    c.id = static_cast<int64_t>(*id);
    return c;
}

int64_t parse_user_id(const http::Request& req) {
    auto id = util::parse_uint(req.path_params.at("id"), INT64_MAX);
    if (!id || *id == 0) throw bad_parameter("The user id must be a number from 1 to 2^63-1.");
    return static_cast<int64_t>(*id);
}

http::Response user_response(int status, const model::User& user) {
    http::Response resp = http::Response::json(status, service::user_to_json(user));
    resp.header("ETag", etag_for(resp.body));
    return resp;
}

std::string etag_of(const model::User& user) {
    return etag_for(util::json_dump(service::user_to_json(user).get()));
}

// The preamble of the routes about one user (the dispatcher checked the client already): no
// query parameters, and a valid id.
int64_t user_route_id(const http::Request& req) {
    read_query(req, {});
    return parse_user_id(req);
}

}  // namespace

http::Response list_users(Context& ctx) {
    const http::Request& req = ctx.req;
    const auto query = read_query(req, {"limit", "after", "updated_since"});
    int limit = kDefaultLimit;
    if (auto v = http::find_field(query, "limit")) {
        auto n = util::parse_uint(*v, kMaxLimit);
        if (!n || *n < 1) throw bad_parameter("limit must be a number from 1 to 1000.");
        limit = static_cast<int>(*n);
    }
    const auto since = http::find_field(query, "updated_since");
    if (since && !util::is_rfc3339(*since))
        throw bad_parameter("updated_since must be an RFC 3339 time, e.g. 2026-01-31T12:00:00Z.");
    Cursor after;
    if (auto v = http::find_field(query, "after")) after = decode_cursor(*v, since.has_value());

    // One row more than asked tells whether another page exists, without COUNT(*).
    std::vector<model::User> users;
    std::optional<Cursor> next;
    if (since) {
        auto page = ctx.svc.users.list_updated(std::string(*since), after.updated_at, after.id, limit + 1);
        users = std::move(page.users);
        if (static_cast<int>(users.size()) > limit) {
            users.pop_back();
            next = Cursor{page.exact_updated_at[static_cast<size_t>(limit) - 1], users.back().id};
        }
    } else {
        users = ctx.svc.users.list_after(after.id, limit + 1);
        if (static_cast<int>(users.size()) > limit) {
            users.pop_back();
            next = Cursor{std::nullopt, users.back().id};
        }
    }
    util::Json data = util::json_array_value();
    for (const auto& u : users) util::json_append(data, service::user_to_json(u));
    util::Json doc = util::json_object_value();
    util::json_set(doc, "data", std::move(data));
    std::optional<std::string> cursor;
    if (next) cursor = encode_cursor(*next);
    util::json_set(doc, "next", util::json_str_or_null(cursor));
    auto resp = http::Response::json(200, doc);
    if (cursor) {
        std::string link = "</api/v1/users?limit=" + std::to_string(limit);
        if (since) link += "&updated_since=" + util::url_encode(*since);
        resp.header("Link", link + "&after=" + *cursor + ">; rel=\"next\"");
    }
    return resp;
}

http::Response get_user(Context& ctx) {
    const http::Request& req = ctx.req;
    const int64_t id = user_route_id(req);
    auto user = ctx.svc.users.get(id);
    if (!user) throw http::Error(404, "not_found", "No user with id " + std::to_string(id) + ".");
    auto resp = user_response(200, *user);
    const std::string etag = etag_for(resp.body);
    if (auto inm = req.header("if-none-match"); inm && etag_matches(*inm, etag, true)) {
        http::Response not_modified;
        not_modified.status = 304;
        not_modified.header("ETag", etag);
        not_modified.header("Cache-Control", "no-store");
        return not_modified;
    }
    return resp;
}

http::Response patch_user(Context& ctx) {
    const http::Request& req = ctx.req;
    const int64_t id = user_route_id(req);
    auto doc = read_json_object(req, {"display_name", "email", "enabled", "roles"});
    const auto change = read_user_change(doc.get());
    const auto if_match = req.header("if-match");
    // The precondition is checked on the locked row, so a concurrent writer cannot slip in
    // between the check and the update.
    // A disabled user's session generation moves, which ends all of their sessions.
    auto updated = ctx.svc.users.update_checked(id, change, [&](const model::User& current) {
        if (if_match && !etag_matches(*if_match, etag_of(current), false))
            throw http::Error(412, "precondition_failed",
                              "The user changed since you read it; fetch it again.");
    });
    if (!updated) throw http::Error(404, "not_found", "No user with id " + std::to_string(id) + ".");
    return user_response(200, *updated);
}

}  // namespace routes
