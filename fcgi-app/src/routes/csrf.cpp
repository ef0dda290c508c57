// Same-origin checks and per-session CSRF tokens.
#include "routes/csrf.hpp"

#include "http/error.hpp"
#include "routes/context.hpp"
#include "util/crypto.hpp"
#include "util/text.hpp"

namespace routes {
namespace {

bool is_safe_method(std::string_view method) {
    return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

http::Error cross_site() {
    return http::Error(403, "cross_site_request", model::MessageId::cross_site);
}

}  // namespace

void require_same_origin(const http::Request& req) {
    if (is_safe_method(req.method)) return;
    if (req.header("authorization") || req.header("api-token")) return;
    if (auto site = req.header("sec-fetch-site")) {
        // "none": the user typed the address or used a bookmark.
        if (*site == "same-origin" || *site == "none") return;
        throw cross_site();
    }
    if (auto origin = req.header("origin")) {
        const auto host = req.header("host");
        if (!host || *origin != req.scheme + "://" + std::string(*host)) throw cross_site();
    }
}

std::string csrf_token(std::string_view session_id) {
    std::string labelled = "csrf:";
    labelled += session_id;
    return util::sha256_hex(labelled);
}

void require_csrf_token(const Context& ctx, const http::Fields& form) {
    const auto& id = ctx.session_id;
    const auto given = http::find_field(form, "csrf_token");
    if (!id || !given || !util::constant_time_equal(*given, csrf_token(*id)))
        throw http::Error(403, "csrf_token_invalid", model::MessageId::form_expired);
}

}  // namespace routes
