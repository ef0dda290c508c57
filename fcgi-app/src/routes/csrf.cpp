// Same-origin checks and per-session CSRF tokens (HMACs under the server key).
#include "routes/csrf.hpp"

#include "http/error.hpp"
#include "routes/context.hpp"
#include "util/text.hpp"

namespace routes {
namespace {

bool is_safe_method(std::string_view method) {
    return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

http::Error cross_site() {
    return http::Error(403, "cross_site_request", model::MessageId::cross_site);
}

// True for a request that authenticates with an API token: Authorization: Bearer, or the
// legacy api-token header. Browsers never add either by themselves.
bool has_api_token(const http::Request& req) {
    if (req.header("api-token")) return true;
    auto auth = req.header("authorization").value_or("");
    while (!auth.empty() && (auth.front() == ' ' || auth.front() == '\t')) auth.remove_prefix(1);
    return util::ascii_lower(auth.substr(0, 7)) == "bearer ";
}

// True when the request carries a session cookie under either of its names.
bool has_session_cookie(const http::Request& req) {
    const auto header = req.header("cookie");
    if (!header) return false;
    const auto cookies = http::parse_cookies(*header);
    return http::find_field(cookies, "sid") || http::find_field(cookies, "__Host-sid");
}

}  // namespace

void require_same_origin(const http::Request& req) {
    if (is_safe_method(req.method)) return;
    if (has_api_token(req) && !has_session_cookie(req)) return;
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

std::string csrf_token(const service::Signer& signer, std::string_view session_id) {
    return signer.sign("csrf", session_id);
}

void require_csrf_token(const Context& ctx, const http::Fields& form) {
    const auto& id = ctx.session_id;
    const auto given = http::find_field(form, "csrf_token");
    if (!id || !given || !ctx.svc.signer.verify("csrf", *id, *given))
        throw http::Error(403, "csrf_token_invalid", model::MessageId::form_expired);
}

}  // namespace routes
