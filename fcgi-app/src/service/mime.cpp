// MIME text for the mailer.
#include "service/mime.hpp"

#include <array>
#include <span>
#include <stdexcept>

#include "util/crypto.hpp"
#include "util/text.hpp"

namespace service {
namespace {

constexpr std::string_view kCrlf = "\r\n";

void require_header_safe(std::string_view name, std::string_view value) {
    for (const char c : value)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            throw std::invalid_argument(std::string(name) + " holds a control character");
}

std::string base64_lines(std::string_view data) {
    const std::string all = util::base64_encode(
        std::span(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
    std::string out;
    for (size_t i = 0; i < all.size(); i += 76) {
        out += all.substr(i, 76);
        out += kCrlf;
    }
    return out;
}

bool is_ascii(std::string_view s) {
    for (const char c : s)
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    return true;
}

// RFC 2047 "encoded-word" for a subject that is not plain ASCII.
std::string encode_subject(std::string_view subject) {
    if (is_ascii(subject)) return std::string(subject);
    const std::string b64 = util::base64_encode(
        std::span(reinterpret_cast<const uint8_t*>(subject.data()), subject.size()));
    return "=?UTF-8?B?" + b64 + "?=";
}

std::string random_hex(size_t bytes) {
    std::array<uint8_t, 32> buf{};
    util::random_bytes(std::span(buf.data(), bytes));
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < bytes; ++i) {
        out += kHex[buf[i] >> 4];
        out += kHex[buf[i] & 15];
    }
    return out;
}

}  // namespace

std::string rfc5322_date(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                  tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    return buf;
}

std::string new_message_id(const std::string& from) {
    std::string domain = "localhost";
    const size_t at = from.rfind('@');
    if (at != std::string::npos) {
        domain = from.substr(at + 1);
        if (const size_t close = domain.find('>'); close != std::string::npos)
            domain.resize(close);
    }
    return random_hex(16) + "@" + domain;
}

std::string build_mime(const MailEnvelope& e, const MailContent& content) {
    require_header_safe("From", e.from);
    require_header_safe("To", e.to);
    require_header_safe("Subject", content.subject);
    require_header_safe("Message-ID", e.message_id);
    require_header_safe("Content-Language", e.lang);
    const std::string boundary = "=_part_" + random_hex(12);
    std::string m;
    auto header = [&m](std::string_view name, std::string_view value) {
        m.append(name).append(": ").append(value).append(kCrlf);
    };
    header("Date", rfc5322_date(e.date));
    header("Message-ID", "<" + e.message_id + ">");
    header("From", e.from);
    header("To", e.to);
    header("Subject", encode_subject(content.subject));
    header("MIME-Version", "1.0");
    header("Content-Language", e.lang);
    // RFC 3834: an automatic message; vacation responders must not answer it.
    header("Auto-Submitted", "auto-generated");
    header("Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
    m += kCrlf;
    auto part = [&](std::string_view type, std::string_view body) {
        m.append("--").append(boundary).append(kCrlf);
        header("Content-Type", std::string(type) + "; charset=utf-8");
        header("Content-Transfer-Encoding", "base64");
        m += kCrlf;
        m += base64_lines(body);
    };
    part("text/plain", content.text);
    part("text/html", content.html);
    m.append("--").append(boundary).append("--").append(kCrlf);
    return m;
}

}  // namespace service
