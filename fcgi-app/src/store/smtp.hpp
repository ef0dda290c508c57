// Sending one message to an SMTP relay with libcurl: STARTTLS or SMTPS, AUTH when configured.
#pragma once

#include <stdexcept>
#include <string>

#include "config.hpp"

namespace store {

// A failed delivery. permanent: the relay refused for good (5xx); retrying cannot help.
class SmtpError : public std::runtime_error {
public:
    SmtpError(const std::string& message, bool permanent)
        : std::runtime_error(message), permanent_(permanent) {}
    bool permanent() const noexcept { return permanent_; }

private:
    bool permanent_;
};

class Smtp {
public:
    explicit Smtp(const app::MailSettings& settings);

    // Sends message (RFC 5322 text with CRLF line ends) from envelope_from to one recipient.
    // Throws SmtpError.
    void send(const std::string& envelope_from, const std::string& recipient,
              const std::string& message);

private:
    const app::MailSettings& settings_;
};

// The bare address inside "Name <addr>" (or the text itself when it has no angle brackets).
std::string address_of(const std::string& mailbox);

}  // namespace store
