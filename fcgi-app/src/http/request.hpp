// One HTTP request as the worker received it from nginx. Built from FastCGI parameters in
// production and directly by tests, so handlers never see libfcgi.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace http {

struct Request {
    std::string method;        // "GET", "POST", ...
    std::string path;          // decoded, normalized by nginx ($document_uri)
    std::string query;         // raw query string, without '?'
    std::string remote_addr;   // the client address as nginx saw it (after trusted proxies)
    std::string scheme = "http";  // "https" when nginx terminated TLS
    std::string request_id;    // nginx's $request_id, for log correlation
    std::map<std::string, std::string, std::less<>> headers;  // lower-case names
    std::string body;
    std::map<std::string, std::string, std::less<>> path_params;  // filled in by the router
    int route_index = -1;  // the matched route's position in the table, set by the router

    // The header's value, or nullopt when absent. `name` must be lower-case.
    std::optional<std::string_view> header(std::string_view name) const;
    // The media type of Content-Type, lower-cased and without parameters ("" when absent).
    std::string media_type() const;
    // True when the client asked for JSON (Accept or Content-Type), or the path belongs to the
    // API (/api/, and the aliases /users and /user/...).
    bool wants_json() const;
};

// Builds a Request from FastCGI/CGI parameters ("NAME=value" strings ending with nullptr);
// the body is read separately.
Request request_from_cgi_env(const char* const* envp);

}  // namespace http
