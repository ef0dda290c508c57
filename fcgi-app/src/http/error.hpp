// The one error type of the request path: it carries the HTTP status, a stable machine code
// and what to tell the client: a message id (model::MessageId, written in the page's language
// by routes/i18n) or, for the details only API clients see, a fixed English text.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "model/message.hpp"

namespace http {

class Error : public std::runtime_error {
public:
    using Headers = std::vector<std::pair<std::string, std::string>>;

    // An English detail for API clients (what() returns it); HTML pages do not translate it.
    Error(int status, std::string code, const std::string& detail, Headers headers = {})
        : std::runtime_error(detail), status_(status), code_(std::move(code)),
          headers_(std::move(headers)) {}
    // A message people read, in their language; what() returns the code.
    Error(int status, std::string code, model::Message message, Headers headers = {})
        : std::runtime_error(code), status_(status), code_(std::move(code)),
          headers_(std::move(headers)), message_(message) {}

    int status() const noexcept { return status_; }
    const std::string& code() const noexcept { return code_; }
    // Extra response headers that belong to this error (Allow, Retry-After, WWW-Authenticate).
    const Headers& headers() const noexcept { return headers_; }
    // The message id, when the error has one (else what() is the English detail).
    const std::optional<model::Message>& message() const noexcept { return message_; }

    template <class Text>
    static Error bad_request(Text text) { return {400, "bad_request", text}; }
    template <class Text>
    static Error unauthorized(Text text) { return {401, "unauthorized", text}; }
    static Error not_found() { return {404, "not_found", model::MessageId::not_found}; }
    static Error method_not_allowed(const std::string& allow) {
        return {405, "method_not_allowed", model::MessageId::method_not_allowed, {{"Allow", allow}}};
    }
    static Error payload_too_large() {
        return {413, "payload_too_large", model::MessageId::body_too_large};
    }
    template <class Text>
    static Error unsupported_media_type(Text text) { return {415, "unsupported_media_type", text}; }
    template <class Text>
    static Error unprocessable(Text text) { return {422, "validation_failed", text}; }
    static Error too_many_requests(int retry_after_seconds) {
        return {429, "too_many_requests", {model::MessageId::too_many_requests, retry_after_seconds},
                {{"Retry-After", std::to_string(retry_after_seconds)}}};
    }

private:
    int status_;
    std::string code_;
    Headers headers_;
    std::optional<model::Message> message_;
};

}  // namespace http
