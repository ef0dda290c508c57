// What every route of the REST API shares.
#include "routes/api.hpp"

#include "http/error.hpp"
#include "util/crypto.hpp"
#include "util/json.hpp"
#include "util/text.hpp"

namespace routes {
namespace {

constexpr const char* kChallenge = "Bearer realm=\"login-api\"";

http::Error unauthorized(const std::string& message) {
    return http::Error(401, "unauthorized", message, {{"WWW-Authenticate", kChallenge}});
}


}  // namespace

model::ApiClient require_client(Context& ctx, const char* scope) {
    const http::Request& req = ctx.req;
    std::optional<std::string_view> token;
    std::optional<std::string_view> app_name;
    if (auto auth = req.header("authorization")) {
        std::string_view v = util::trim(*auth);
        if (v.size() < 7 || util::ascii_lower(v.substr(0, 7)) != "bearer ")
            throw unauthorized("Use Authorization: Bearer <token>.");
        token = util::trim(v.substr(7));
    } else if (auto legacy = req.header("api-token")) {
        token = util::trim(*legacy);
        app_name = req.header("application");
        if (!app_name) throw unauthorized("The api-token header needs an application header.");
    }
    if (!token) throw unauthorized("Credentials are required.");
    auto client = ctx.callers.token_client(req, *token, app_name);
    if (!client) throw unauthorized("Invalid or revoked token.");
    for (const auto& s : client->scopes)
        if (s == scope) return *client;
    throw http::Error(403, "insufficient_scope", std::string("This token lacks the scope ") + scope + ".",
                      {{"WWW-Authenticate", std::string(kChallenge) +
                                                ", error=\"insufficient_scope\", scope=\"" + scope + "\""}});
}

http::Fields read_query(const http::Request& req, std::initializer_list<std::string_view> allowed) {
    auto fields = http::parse_urlencoded(req.query);
    for (size_t i = 0; i < fields.size(); ++i) {
        const auto& name = fields[i].first;
        bool known = false;
        for (auto a : allowed) known = known || a == name;
        if (!known) throw http::Error::bad_request("Unknown query parameter: " + name);
        for (size_t j = 0; j < i; ++j)
            if (fields[j].first == name)
                throw http::Error::bad_request("Query parameter given twice: " + name);
    }
    return fields;
}

void require_json_accepted(const http::Request& req) {
    auto accept = req.header("accept");
    if (!accept || accept->empty()) return;
    for (std::string_view ok : {"application/json", "application/*", "*/*"})
        if (accept->find(ok) != std::string_view::npos) return;
    throw http::Error(406, "not_acceptable", "This API answers in application/json only.");
}

http::Response validation_error_json(const service::FieldErrors& errors) {
    using namespace util;
    Json fields = json_object_value();
    for (const auto& [name, message] : errors)
        json_set(fields, name.c_str(), json_str(text(Lang::en, message)));
    Json error = json_object_value();
    json_set(error, "code", json_str("validation_failed"));
    json_set(error, "message",
             json_str(errors.empty() ? "Invalid input." : text(Lang::en, errors.front().second)));
    json_set(error, "fields", std::move(fields));
    Json doc = json_object_value();
    json_set(doc, "error", std::move(error));
    return http::Response::json(422, doc);
}

std::string etag_for(std::string_view body) {
    return "\"" + util::sha256_hex(body).substr(0, 32) + "\"";
}

bool etag_matches(std::string_view header, std::string_view etag, bool weak_comparison) {
    size_t pos = 0;
    while (pos <= header.size()) {
        size_t comma = header.find(',', pos);
        if (comma == std::string_view::npos) comma = header.size();
        std::string_view candidate = util::trim(header.substr(pos, comma - pos));
        pos = comma + 1;
        if (candidate == "*") return true;
        if (candidate.starts_with("W/")) {
            if (!weak_comparison) continue;
            candidate.remove_prefix(2);
        }
        if (candidate == etag) return true;
    }
    return false;
}

}  // namespace routes
