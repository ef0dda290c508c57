// Cross-site request defences: a same-origin check on every state-changing request, and the
// per-session token that authenticated forms carry.
#pragma once

#include <string>
#include <string_view>

#include "http/parse.hpp"
#include "http/request.hpp"

namespace routes {

struct Context;

// Throws 403 when a state-changing request (anything but GET, HEAD and OPTIONS) comes from
// another site, as Sec-Fetch-Site says or, from browsers without it, Origin. Requests with
// neither header (API clients, curl) and requests authenticated by a token header pass: they
// carry no ambient browser credentials.
void require_same_origin(const http::Request& req);

// The CSRF token of a session: derived from its id (SHA-256 with a label), so nothing is
// stored, it is unguessable without the cookie, and it differs from the Redis key of the id.
std::string csrf_token(std::string_view session_id);

// Throws 403 unless the form's csrf_token field belongs to the request's session cookie.
void require_csrf_token(const Context& ctx, const http::Fields& form);

}  // namespace routes
