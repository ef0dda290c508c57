// GET /admin: the newest users, for admins only (keyset paging with ?before=<id>).
#include <cstdint>

#include "http/error.hpp"
#include "routes/api.hpp"
#include "routes/pages.hpp"
#include "routes/routes.hpp"
#include "util/text.hpp"

namespace routes {
namespace {

constexpr int kPageSize = 50;

}  // namespace

http::Response get_admin(Context& ctx) {
    const auto query = read_query(ctx.req, {"before"});
    int64_t before = INT64_MAX;
    if (auto v = http::find_field(query, "before")) {
        auto n = util::parse_uint(*v, INT64_MAX);
        if (!n) throw http::Error::bad_request(model::MessageId::before_not_user_id);
        before = static_cast<int64_t>(*n);
    }
    auto users = ctx.svc.users.list_newest(before, kPageSize + 1);
    std::optional<int64_t> older;
    if (users.size() > static_cast<size_t>(kPageSize)) {
        users.pop_back();
        older = users.back().id;
    }
    return http::Response::html(200, render_admin(ctx.lang(), users, older));
}

}  // namespace routes
