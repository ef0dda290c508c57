// GET /admin: the newest users, for admins only (keyset paging with ?before=<id>).
#include <cstdint>

#include "http/error.hpp"
#include "routes/api.hpp"
#include "routes/current_user.hpp"
#include "routes/pages.hpp"
#include "routes/routes.hpp"
#include "util/text.hpp"

namespace routes {
namespace {

constexpr int kPageSize = 50;

}  // namespace

http::Response get_admin(App& app, http::Request& req) {
    auto user = current_user(app, req);
    if (!user) return http::Response::redirect("/login");
    if (!user->has_role("admin"))
        return http::Response::html(
            403, render_error_page(choose_lang(req), 403, "This page is for administrators."));
    const auto query = read_query(req, {"before"});
    int64_t before = INT64_MAX;
    if (auto v = http::find_field(query, "before")) {
        auto n = util::parse_uint(*v, INT64_MAX);
        if (!n) throw http::Error::bad_request("before must be a user id.");
        before = static_cast<int64_t>(*n);
    }
    auto users = app.users.list_newest(before, kPageSize + 1);
    std::optional<int64_t> older;
    if (users.size() > static_cast<size_t>(kPageSize)) {
        users.pop_back();
        older = users.back().id;
    }
    return http::Response::html(200, render_admin(choose_lang(req), users, older));
}

}  // namespace routes
