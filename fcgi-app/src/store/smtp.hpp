// Sending one message to an SMTP relay with libcurl: STARTTLS or SMTPS, AUTH when configured.
#pragma once

#include <stdexcept>
#include <string>

namespace store {

// Where and how to send (the mailer fills it from LOGIN_SMTP_*).
struct SmtpSettings {
    std::string url;          // smtp://host:port or smtps://host:port
    bool starttls = false;    // require the STARTTLS upgrade before anything is sent
    std::string user;         // AUTH when not empty
    std::string password;
    std::string ca_file;      // trust anchors; the system's when empty
    int timeout_seconds = 30;
};

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
    explicit Smtp(SmtpSettings settings);

    // Sends message (RFC 5322 text with CRLF line ends) from envelope_from to one recipient.
    // Throws SmtpError.
    void send(const std::string& envelope_from, const std::string& recipient,
              const std::string& message);

private:
    SmtpSettings settings_;
};

// The bare address inside "Name <addr>" (or the text itself when it has no angle brackets).
std::string address_of(const std::string& mailbox);

}  // namespace store
