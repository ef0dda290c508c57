// The one error type of the request path: it carries the HTTP status, a stable machine code
// and a message that is safe to show the client.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace http {

class Error : public std::runtime_error {
public:
    using Headers = std::vector<std::pair<std::string, std::string>>;

    Error(int status, std::string code, const std::string& message, Headers headers = {})
        : std::runtime_error(message), status_(status), code_(std::move(code)),
          headers_(std::move(headers)) {}

    int status() const noexcept { return status_; }
    const std::string& code() const noexcept { return code_; }
    // Extra response headers that belong to this error (Allow, Retry-After, WWW-Authenticate).
    const Headers& headers() const noexcept { return headers_; }

    static Error bad_request(const std::string& message) { return {400, "bad_request", message}; }
    static Error unauthorized(const std::string& message) {
        return {401, "unauthorized", message};
    }
    static Error forbidden(const std::string& message) { return {403, "forbidden", message}; }
    static Error not_found() { return {404, "not_found", "No such resource."}; }
    static Error method_not_allowed(const std::string& allow) {
        return {405, "method_not_allowed", "Method not allowed.", {{"Allow", allow}}};
    }
    static Error payload_too_large(const std::string& message) {
        return {413, "payload_too_large", message};
    }
    static Error unsupported_media_type(const std::string& message) {
        return {415, "unsupported_media_type", message};
    }
    static Error unprocessable(const std::string& message) {
        return {422, "validation_failed", message};
    }
    static Error too_many_requests(const std::string& message, int retry_after_seconds) {
        return {429, "too_many_requests", message,
                {{"Retry-After", std::to_string(retry_after_seconds)}}};
    }
    static Error unavailable(const std::string& message, int retry_after_seconds = 2) {
        return {503, "unavailable", message, {{"Retry-After", std::to_string(retry_after_seconds)}}};
    }

private:
    int status_;
    std::string code_;
    Headers headers_;
};

}  // namespace http
