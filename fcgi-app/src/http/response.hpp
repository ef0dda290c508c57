// One HTTP response, and its serialization as a FastCGI (CGI-style) reply.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/json.hpp"

namespace http {

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    Response& header(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
        return *this;
    }

    // 303 See Other to a local path.
    static Response redirect(std::string location);
    // An HTML page; personalized, so never stored by caches.
    static Response html(int status, std::string body);
    // A JSON document (not stored: serialized now).
    static Response json(int status, const util::Json& value);

    // "Status: ...\r\nHeader: value\r\n\r\nbody" as a FastCGI responder writes it.
    // include_body is false for HEAD requests.
    std::string serialize(bool include_body = true) const;
};

// The reason phrase for a status code ("Not Found").
std::string_view reason_phrase(int status);

}  // namespace http
