// One HTTP response, and its serialization as a FastCGI (CGI-style) reply.
#include "http/response.hpp"

#include "util/json.hpp"

namespace http {

Response Response::redirect(std::string location) {
    Response r;
    r.status = 303;
    r.header("Location", std::move(location));
    r.header("Cache-Control", "no-store");
    return r;
}

Response Response::html(int status, std::string body) {
    Response r;
    r.status = status;
    r.header("Content-Type", "text/html; charset=utf-8");
    r.header("Cache-Control", "no-store");
    r.body = std::move(body);
    return r;
}

Response Response::json(int status, const util::Json& value) {
    Response r;
    r.status = status;
    r.header("Content-Type", "application/json");
    r.header("Cache-Control", "no-store");
    r.body = util::json_dump(value.get());
    return r;
}

std::string_view reason_phrase(int status) {
    switch (status) {
        case 200: return "OK";
        case 201: return "Created";
        case 204: return "No Content";
        case 303: return "See Other";
        case 304: return "Not Modified";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 406: return "Not Acceptable";
        case 412: return "Precondition Failed";
        case 413: return "Content Too Large";
        case 415: return "Unsupported Media Type";
        case 422: return "Unprocessable Content";
        case 429: return "Too Many Requests";
        case 500: return "Internal Server Error";
        case 503: return "Service Unavailable";
        default: return "Unknown";
    }
}

std::string Response::serialize(bool include_body) const {
    std::string out;
    out.reserve(128 + body.size());
    out += "Status: ";
    out += std::to_string(status);
    out += ' ';
    out += reason_phrase(status);
    out += "\r\n";
    for (const auto& [name, value] : headers) {
        out += name;
        out += ": ";
        out += value;
        out += "\r\n";
    }
    out += "Content-Length: ";
    out += std::to_string(body.size());
    out += "\r\n\r\n";
    if (include_body) out += body;
    return out;
}

}  // namespace http
