// Reading the mails the stack sent, as a person would: the test stack's mail sink stores each
// message in TEST_MAIL_DIR (a Maildir, new/ holding the unread ones). Header-only, like fixtures.
#pragma once

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/env.hpp"
#include "support/http_client.hpp"
#include "util/text.hpp"

namespace e2e {

// One message: its raw text, its headers, and its decoded plain-text and HTML parts.
struct Mail {
    std::string raw;
    std::string text;
    std::string html;

    // The value of the first header with this name (exact case as sent), "" when absent.
    std::string header(const std::string& name) const {
        const std::string key = "\n" + name + ": ";
        const size_t at = ("\n" + raw).find(key);
        if (at == std::string::npos) return "";
        const size_t start = at + key.size() - 1;
        const size_t end = raw.find_first_of("\r\n", start);
        return raw.substr(start, end - start);
    }

    // The first link in the plain text that starts with prefix ("" when none).
    std::string link_starting(const std::string& prefix) const {
        const size_t at = text.find(prefix);
        if (at == std::string::npos) return "";
        const size_t end = text.find_first_of(" \r\n", at);
        return text.substr(at, end - at);
    }
};

// The base64 body of the part whose Content-Type starts with type, decoded.
inline std::string decoded_part(const std::string& raw, const std::string& type) {
    const size_t at = raw.find("Content-Type: " + type);
    if (at == std::string::npos) return "";
    size_t body = raw.find("\n\n", at);
    const size_t crlf = raw.find("\r\n\r\n", at);
    body = std::min(body == std::string::npos ? raw.size() : body + 2,
                    crlf == std::string::npos ? raw.size() : crlf + 4);
    const size_t end = raw.find("\n--", body);
    std::string b64;
    for (size_t i = body; i < std::min(end, raw.size()); ++i)
        if (raw[i] != '\r' && raw[i] != '\n') b64 += raw[i];
    return util::base64_decode(b64).value_or("<not base64>");
}

inline std::filesystem::path mail_dir() {
    return std::filesystem::path(testing_support::require_env("TEST_MAIL_DIR"));
}

// The messages to `to` that arrived and were not taken yet; each is taken (moved to cur/).
inline std::vector<Mail> take_mails_to(const std::string& to) {
    std::vector<Mail> out;
    const auto fresh = mail_dir() / "new";
    if (!std::filesystem::exists(fresh)) return out;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(fresh)) files.push_back(entry.path());
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
        return std::filesystem::last_write_time(a) < std::filesystem::last_write_time(b);
    });
    for (const auto& path : files) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream content;
        content << in.rdbuf();
        const std::string raw = content.str();
        if (raw.find("\nTo: " + to + "\n") == std::string::npos &&
            raw.find("\nTo: " + to + "\r\n") == std::string::npos)
            continue;
        std::error_code ignored;
        std::filesystem::rename(path, mail_dir() / "cur" / path.filename(), ignored);
        out.push_back({raw, decoded_part(raw, "text/plain"), decoded_part(raw, "text/html")});
    }
    return out;
}

// Waits up to `seconds` for the next message to `to`; fails the test when none comes.
inline Mail wait_for_mail(const std::string& to, int seconds = 20) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    do {
        auto mails = take_mails_to(to);
        if (!mails.empty()) return mails.front();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } while (std::chrono::steady_clock::now() < deadline);
    BOOST_FAIL("no mail to " << to << " within " << seconds << " s");
    return {};
}

// Waits for `seconds` and returns how many messages to `to` arrived (and takes them).
inline size_t count_mails_after(const std::string& to, int seconds) {
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    return take_mails_to(to).size();
}

// A loopback address of its own (127.x.y.z), so that per-network limits count this test only.
inline std::string fresh_loopback() {
    std::random_device rd;
    std::uniform_int_distribution<int> octet(1, 254);
    return "127." + std::to_string(octet(rd)) + "." + std::to_string(octet(rd)) + "." +
           std::to_string(octet(rd));
}

// GET path sent from the loopback address from.
inline testing_support::HttpResponse get_from(const std::string& path, const std::string& from) {
    testing_support::HttpRequest req;
    req.path = path;
    req.source_address = from;
    return testing_support::send(req);
}

// The path and query of an absolute link to the stack under test ("" when it points elsewhere).
inline std::string local_path(const std::string& link) {
    const std::string base = testing_support::require_env("TEST_BASE_URL");
    if (link.rfind(base, 0) != 0) return "";
    return link.substr(base.size());
}

// The token query parameter of a link.
inline std::string token_of(const std::string& link) {
    const size_t at = link.find("token=");
    return at == std::string::npos ? "" : link.substr(at + 6);
}

}  // namespace e2e
