// SMTP through libcurl.
#include "store/smtp.hpp"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <utility>

namespace store {
namespace {

struct CurlFree {
    void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
struct SlistFree {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};

struct Upload {
    const std::string& data;
    size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
    auto* up = static_cast<Upload*>(user);
    const size_t n = std::min(size * count, up->data.size() - up->offset);
    std::memcpy(buffer, up->data.data() + up->offset, n);
    up->offset += n;
    return n;
}

// libcurl's global state, set up once per process before the first handle.
void init_curl_once() {
    static const bool done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
    if (!done) throw SmtpError("curl_global_init failed", false);
}

}  // namespace

std::string address_of(const std::string& mailbox) {
    const size_t open = mailbox.rfind('<');
    const size_t close = mailbox.rfind('>');
    if (open == std::string::npos || close == std::string::npos || close < open) return mailbox;
    return mailbox.substr(open + 1, close - open - 1);
}

Smtp::Smtp(SmtpSettings settings) : settings_(std::move(settings)) {}

void Smtp::send(const std::string& envelope_from, const std::string& recipient,
                const std::string& message) {
    init_curl_once();
    std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
    if (!curl) throw SmtpError("curl_easy_init failed", false);
    const std::string rcpt = "<" + recipient + ">";
    const std::string from = "<" + envelope_from + ">";
    std::unique_ptr<curl_slist, SlistFree> rcpts(curl_slist_append(nullptr, rcpt.c_str()));
    Upload upload{message};
    char error[CURL_ERROR_SIZE] = {0};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, settings_.url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts.get());
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(settings_.timeout_seconds));
    // STARTTLS when asked for, and then never in the clear; smtps:// is TLS from the start.
    if (settings_.starttls) curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!settings_.ca_file.empty())
        curl_easy_setopt(c, CURLOPT_CAINFO, settings_.ca_file.c_str());
    if (!settings_.user.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, settings_.user.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, settings_.password.c_str());
    }
    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) return;
    long reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
    const std::string what = std::string(curl_easy_strerror(rc)) + (error[0] ? ": " : "") + error +
                             " (SMTP reply " + std::to_string(reply) + ")";
    // 5xx: the relay refused this message or recipient for good (a bad address, a policy).
    const bool permanent = reply >= 500 && reply < 600 && rc != CURLE_LOGIN_DENIED;
    throw SmtpError(what, permanent);
}

}  // namespace store
