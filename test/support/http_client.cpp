// A small HTTP client over libcurl for end-to-end tests.
#include "support/http_client.hpp"

#include <curl/curl.h>

#include <memory>
#include <stdexcept>

#include "http/parse.hpp"
#include "support/env.hpp"
#include "util/text.hpp"

namespace testing_support {
namespace {

struct CurlFree {
    void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
struct SlistFree {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
struct MultiFree {
    void operator()(CURLM* m) const noexcept { curl_multi_cleanup(m); }
};
using CurlPtr = std::unique_ptr<CURL, CurlFree>;
using SlistPtr = std::unique_ptr<curl_slist, SlistFree>;

size_t on_body(char* data, size_t size, size_t n, void* out) {
    static_cast<std::string*>(out)->append(data, size * n);
    return size * n;
}

size_t on_header(char* data, size_t size, size_t n, void* out) {
    std::string_view line(data, size * n);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.remove_suffix(1);
        static_cast<HttpResponse*>(out)->headers.emplace(util::ascii_lower(line.substr(0, colon)),
                                                         std::string(value));
    }
    return size * n;
}

ResponseObserver& response_observer() {
    static ResponseObserver observer;
    return observer;
}

struct Prepared {
    CurlPtr curl;
    SlistPtr headers;
    std::string body;
    HttpResponse response;
};

void prepare(Prepared& p, const HttpRequest& req) {
    p.curl.reset(curl_easy_init());
    p.body = req.body;
    CURL* c = p.curl.get();
    const std::string base = !req.unix_socket.empty()
                                 ? (req.tls ? "https://localhost" : "http://localhost")
                                 : require_env(req.tls ? "TEST_TLS_BASE_URL" : "TEST_BASE_URL");
    const std::string url = base + req.path;
    if (!req.unix_socket.empty())
        curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, req.unix_socket.c_str());  // curl copies it
    if (req.tls) {
        const std::string ca = require_env("TEST_TLS_CA");
        curl_easy_setopt(c, CURLOPT_CAINFO, ca.c_str());  // curl copies the string
    }
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    if (req.method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    curl_slist* list = nullptr;
    for (const auto& h : req.headers) list = curl_slist_append(list, h.c_str());
    list = curl_slist_append(list, "Expect:");
    p.headers.reset(list);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    if (req.send_body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, p.body.data());
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(p.body.size()));
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &p.response.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &p.response);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (!req.source_address.empty()) {
        const std::string iface = "host!" + req.source_address;
        curl_easy_setopt(c, CURLOPT_INTERFACE, iface.c_str());  // curl copies the string
    }
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
}

std::string HttpResponse::set_cookie_line(const std::string& name) const {
    auto [begin, end] = headers.equal_range("set-cookie");
    for (auto it = begin; it != end; ++it)
        if (it->second.starts_with(name + "=")) return it->second;
    return "";
}

std::string HttpResponse::set_cookie_value(const std::string& name) const {
    const std::string line = set_cookie_line(name);
    if (line.empty()) return "";
    const std::string rest = line.substr(name.size() + 1);
    return rest.substr(0, rest.find(';'));
}

HttpResponse send(const HttpRequest& req) {
    Prepared p;
    prepare(p, req);
    const CURLcode rc = curl_easy_perform(p.curl.get());
    if (rc != CURLE_OK)
        throw std::runtime_error(std::string("HTTP request failed: ") + curl_easy_strerror(rc));
    curl_easy_getinfo(p.curl.get(), CURLINFO_RESPONSE_CODE, &p.response.status);
    if (const auto& observe = response_observer()) observe(req, p.response);
    return std::move(p.response);
}

void set_response_observer(ResponseObserver observer) {
    response_observer() = std::move(observer);
}

HttpResponse get(const std::string& path, const std::vector<std::string>& headers) {
    return send({"GET", path, headers, "", false});
}

HttpResponse post_form(const std::string& path, const std::string& body,
                       const std::vector<std::string>& headers) {
    auto all = headers;
    all.push_back("Content-Type: application/x-www-form-urlencoded");
    return send({"POST", path, all, body, true});
}

HttpResponse send_json(const std::string& method, const std::string& path, const std::string& body,
                       const std::vector<std::string>& headers) {
    auto all = headers;
    all.push_back("Content-Type: application/json");
    return send({method, path, all, body, true});
}

std::vector<HttpResponse> send_concurrently(const HttpRequest& req, int n) {
    return send_concurrently(std::vector<HttpRequest>(static_cast<size_t>(n), req));
}

std::vector<HttpResponse> send_concurrently(const std::vector<HttpRequest>& reqs) {
    std::vector<Prepared> requests(reqs.size());
    std::unique_ptr<CURLM, MultiFree> multi(curl_multi_init());
    // One connection per request, all open at once: this is a concurrency test, not reuse.
    curl_multi_setopt(multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS, 0L);
    for (size_t i = 0; i < requests.size(); ++i) {
        auto& p = requests[i];
        prepare(p, reqs[i]);
        curl_easy_setopt(p.curl.get(), CURLOPT_FORBID_REUSE, 1L);
        curl_easy_setopt(p.curl.get(), CURLOPT_FRESH_CONNECT, 1L);
        curl_multi_add_handle(multi.get(), p.curl.get());
    }
    int running = 0;
    do {
        curl_multi_perform(multi.get(), &running);
        if (running) curl_multi_poll(multi.get(), nullptr, 0, 1000, nullptr);
    } while (running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi.get(), &queued)) {
        if (msg->msg != CURLMSG_DONE || msg->data.result != CURLE_OK) continue;
        for (auto& p : requests)
            if (p.curl.get() == msg->easy_handle)
                curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &p.response.status);
    }
    std::vector<HttpResponse> responses;
    for (size_t i = 0; i < requests.size(); ++i) {
        auto& p = requests[i];
        curl_multi_remove_handle(multi.get(), p.curl.get());
        if (const auto& observe = response_observer(); observe && p.response.status != 0)
            observe(reqs[i], p.response);
        responses.push_back(std::move(p.response));
    }
    return responses;
}

std::vector<long> get_concurrently(const std::string& path, const std::vector<std::string>& headers,
                                   int n) {
    std::vector<long> statuses;
    for (const auto& r : send_concurrently({"GET", path, headers, "", false}, n))
        statuses.push_back(r.status);
    return statuses;
}

std::string login(const std::string& username, const std::string& password) {
    auto r = post_form("/login", "username=" + util::url_encode(username) +
                                     "&password=" + util::url_encode(password));
    const std::string sid = r.set_cookie_value("sid");
    if (r.status != 303 || sid.empty())
        throw std::runtime_error("login as " + username + " failed with status " +
                                 std::to_string(r.status));
    return sid;
}

}  // namespace testing_support
