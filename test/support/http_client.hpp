// A small HTTP client over libcurl for end-to-end tests: no redirects followed, no cookie
// jar, so every test states exactly what it sends.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace testing_support {

struct HttpResponse {
    long status = 0;
    std::multimap<std::string, std::string> headers;  // lower-case names
    std::string body;

    // The first value of a header, or "" when absent.
    std::string header(const std::string& name) const;
    // The value the response sets for cookie `name` ("" when it sets none).
    std::string set_cookie_value(const std::string& name) const;
    // The full Set-Cookie header for cookie `name` ("" when none).
    std::string set_cookie_line(const std::string& name) const;
};

struct HttpRequest {
    std::string method = "GET";
    std::string path;  // appended to TEST_BASE_URL
    std::vector<std::string> headers;  // "Name: value"
    std::string body;
    bool send_body = false;
    std::string source_address;  // the local address to send from (any 127.x.y.z); "" = default
    bool tls = false;  // to TEST_TLS_BASE_URL (HTTPS, trusting TEST_TLS_CA) instead of TEST_BASE_URL
    // A unix socket to send to instead (URL http://localhost or, with tls, https://localhost).
    std::string unix_socket;
};

// Sends req to the stack under test. Throws when the connection itself fails.
HttpResponse send(const HttpRequest& req);

// Sees every request that send() (and so every shorthand below except get_concurrently)
// completes, with its response: tests install one to check what must hold for all responses.
using ResponseObserver = std::function<void(const HttpRequest&, const HttpResponse&)>;
// Replaces the observer; an empty one removes it. Not thread-safe: set it before sending.
void set_response_observer(ResponseObserver observer);

// Shorthands.
HttpResponse get(const std::string& path, const std::vector<std::string>& headers = {});
HttpResponse post_form(const std::string& path, const std::string& body,
                       const std::vector<std::string>& headers = {});
HttpResponse send_json(const std::string& method, const std::string& path, const std::string& body,
                       const std::vector<std::string>& headers = {});

// Sends n copies of req at once over n connections and returns the responses (status 0 marks
// a transport failure). The response observer sees each one.
std::vector<HttpResponse> send_concurrently(const HttpRequest& req, int n);
// Sends every request of reqs at once, each over its own connection; the responses in their order.
std::vector<HttpResponse> send_concurrently(const std::vector<HttpRequest>& reqs);

// Sends n identical GET requests at once over n connections and returns the statuses.
std::vector<long> get_concurrently(const std::string& path, const std::vector<std::string>& headers,
                                   int n);

// Logs in through POST /login (form) and returns the session cookie value; throws on failure.
std::string login(const std::string& username, const std::string& password);

}  // namespace testing_support
