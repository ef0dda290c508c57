// One HTTP request as the worker received it from nginx.
#include "http/request.hpp"

#include <cstring>

#include "util/text.hpp"

namespace http {

std::optional<std::string_view> Request::header(std::string_view name) const {
    auto it = headers.find(name);
    if (it == headers.end()) return std::nullopt;
    return std::string_view(it->second);
}

std::string Request::media_type() const {
    auto ct = header("content-type");
    if (!ct) return {};
    std::string_view v = *ct;
    v = v.substr(0, v.find(';'));
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    return util::ascii_lower(v);
}

bool Request::wants_json() const {
    // The API, and its aliases kept from the original system.
    if (path.starts_with("/api/") || path == "/users" || path.starts_with("/user/")) return true;
    if (media_type() == "application/json") return true;
    auto accept = header("accept");
    return accept && accept->find("application/json") != std::string_view::npos &&
           accept->find("text/html") == std::string_view::npos;
}

Request request_from_cgi_env(const char* const* envp) {
    Request req;
    std::string request_uri;
    for (; envp && *envp; ++envp) {
        std::string_view entry(*envp);
        const size_t eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        std::string_view name = entry.substr(0, eq);
        std::string_view value = entry.substr(eq + 1);
        if (name == "REQUEST_METHOD") req.method = value;
        else if (name == "DOCUMENT_URI") req.path = value;
        else if (name == "REQUEST_URI") request_uri = value;
        else if (name == "QUERY_STRING") req.query = value;
        else if (name == "REMOTE_ADDR") req.remote_addr = value;
        else if (name == "REQUEST_SCHEME") req.scheme = value;
        else if (name == "REQUEST_ID") req.request_id = value;
        else if (name == "CONTENT_TYPE") req.headers["content-type"] = value;
        else if (name == "CONTENT_LENGTH") req.headers["content-length"] = value;
        else if (name.starts_with("HTTP_")) {
            std::string header = util::ascii_lower(name.substr(5));
            for (char& c : header)
                if (c == '_') c = '-';
            req.headers[header] = value;
        }
    }
    if (req.path.empty()) req.path = request_uri.substr(0, request_uri.find('?'));
    return req;
}

}  // namespace http
