// What every route of the REST API for other systems shares: client authentication with
// scopes, strict query parameters, content negotiation and ETags.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/parse.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "model/api_client.hpp"
#include "routes/context.hpp"
#include "service/validation.hpp"

namespace routes {

// The client behind `Authorization: Bearer <token>` (or the legacy `application` +
// `api-token` pair) holding `scope`. 401 with WWW-Authenticate for missing, unknown or
// revoked credentials; 403 for a valid token without the scope.
model::ApiClient require_client(Context& ctx, const char* scope);

// The query's parameters: 400 for a name outside `allowed` or given twice.
http::Fields read_query(const http::Request& req, std::initializer_list<std::string_view> allowed);

// 406 when the Accept header rules out application/json.
void require_json_accepted(const http::Request& req);

// 422 with {"error":{"code":"validation_failed","message":...,"fields":{field: message}}}.
http::Response validation_error_json(const service::FieldErrors& errors);

// A strong ETag for a response body.
std::string etag_for(std::string_view body);

// True when an If-None-Match / If-Match header value lists etag (or is "*").
bool etag_matches(std::string_view header, std::string_view etag, bool weak_comparison);

}  // namespace routes
