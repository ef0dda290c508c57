// An email as RFC 5322 / MIME text: plain text and HTML alternatives in UTF-8, with the
// headers a relay and a mail client expect. Pure functions, no I/O.
#pragma once

#include <ctime>
#include <string>

namespace service {

struct MailContent {
    std::string subject;
    std::string text;  // plain text, UTF-8, \n line ends
    std::string html;  // a whole HTML document, UTF-8
};

struct MailEnvelope {
    std::string from;        // the From header: "Name <addr@domain>" (LOGIN_MAIL_FROM)
    std::string to;          // one bare address; refused when it holds a control character
    std::string lang;        // Content-Language: "en" or "pt-BR"
    std::string message_id;  // without angle brackets: "<random>@<domain of from>"
    std::time_t date = 0;
};

// The whole message with CRLF line ends: Date (RFC 5322 form, UTC), Message-ID, From, To,
// Subject (RFC 2047 encoded when not ASCII), MIME-Version, Auto-Submitted, and a
// multipart/alternative body whose parts are base64 in lines of 76. Throws
// std::invalid_argument for a header value with CR, LF or another control character.
std::string build_mime(const MailEnvelope& envelope, const MailContent& content);

// "Wed, 02 Dec 2026 09:30:00 +0000".
std::string rfc5322_date(std::time_t t);

// A fresh Message-ID for mail from `from`: 128 random bits in hex, @ the From's domain.
std::string new_message_id(const std::string& from);

}  // namespace service
