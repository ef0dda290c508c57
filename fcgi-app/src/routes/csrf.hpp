// Cross-site request defences: a same-origin check on every state-changing request, and the
// per-session token that authenticated forms carry.
#pragma once

#include <string>
#include <string_view>

#include "http/parse.hpp"
#include "http/request.hpp"
#include "service/signer.hpp"

namespace routes {

struct Context;

// Throws 403 when a state-changing request (anything but GET, HEAD and OPTIONS) comes from
// another site, as Sec-Fetch-Site says or, from browsers without it, Origin. Requests with
// neither header (API clients, curl) pass. So does a request that authenticates with an API
// token (Authorization: Bearer, or api-token) and carries no session cookie: it has no ambient
// browser credential to abuse. Any other Authorization (Basic or Negotiate, which browsers add
// by themselves behind single sign-on) changes nothing.
void require_same_origin(const http::Request& req);

// The CSRF token of a session: an HMAC of its id under the server key, so nothing is stored,
// it cannot be computed without both the cookie and the key, and it differs from the Redis
// key of the id.
std::string csrf_token(const service::Signer& signer, std::string_view session_id);

// Throws 403 unless the form's csrf_token field belongs to the request's session cookie (under
// the current server key or, during a rotation, the previous one).
void require_csrf_token(const Context& ctx, const http::Fields& form);

}  // namespace routes
