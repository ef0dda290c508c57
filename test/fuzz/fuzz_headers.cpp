// Fuzzes what the worker reads from the FastCGI parameters nginx passes on (request lines and
// headers are the client's bytes): http::request_from_cgi_env, Request::media_type and
// wants_json, the same-origin check (routes::require_same_origin), the If-Match /
// If-None-Match lists (routes::etag_matches), client address networks (util::ip_network,
// what rate limits count by) and the stored User-Agent (util::printable_prefix).
#include <cstdint>
#include <vector>

#include "fuzz_support.hpp"
#include "http/request.hpp"
#include "routes/api.hpp"
#include "routes/csrf.hpp"
#include "util/net.hpp"
#include "util/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // The input is NUL-separated "NAME=value" entries, as envp holds them.
    std::vector<std::string> entries;
    std::string_view rest = fuzz::as_text(data, size);
    while (!rest.empty()) {
        const size_t nul = rest.find('\0');
        entries.emplace_back(rest.substr(0, nul));
        rest = nul == std::string_view::npos ? std::string_view{} : rest.substr(nul + 1);
    }
    std::vector<const char*> envp;
    for (const auto& e : entries) envp.push_back(e.c_str());
    envp.push_back(nullptr);

    const http::Request req = http::request_from_cgi_env(envp.data());
    for (const auto& [name, value] : req.headers)
        for (char c : name) FUZZ_CHECK(!(c >= 'A' && c <= 'Z') && c != '_');
    FUZZ_CHECK(req.path.find('?') == std::string::npos || req.path.size() <= size);

    const std::string type = req.media_type();
    FUZZ_CHECK(type.find(';') == std::string::npos);
    for (char c : type) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
    req.wants_json();
    try {
        routes::require_same_origin(req);
    } catch (const http::Error& e) {
        FUZZ_CHECK(e.status() == 403);
        FUZZ_CHECK(req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS");
    }

    // What a session stores of the User-Agent: a prefix of it, valid UTF-8 without controls.
    for (const auto& [name, value] : req.headers) {
        const std::string shown = util::printable_prefix(value, 256);
        FUZZ_CHECK(shown.size() <= 256 && std::string_view(value).starts_with(shown));
        FUZZ_CHECK(util::is_valid_utf8(shown) && !util::has_control_chars(shown) &&
                   !util::has_unicode_controls(shown));
    }

    // A network, given again (without its length), is its own network.
    const int v4_bits = size > 0 ? data[0] % 40 : 24, v6_bits = size > 1 ? data[1] % 140 : 48;
    for (const std::string_view ip : {std::string_view(req.remote_addr), fuzz::as_text(data, size)}) {
        const auto network = util::ip_network(ip, v4_bits, v6_bits);
        if (!network) continue;
        const size_t slash = network->find('/');
        FUZZ_CHECK(slash != std::string::npos);
        FUZZ_CHECK(util::ip_network(network->substr(0, slash), v4_bits, v6_bits) == network);
    }

    const std::string etag = routes::etag_for(fuzz::as_text(data, size));
    FUZZ_CHECK(etag.size() == 34 && etag.front() == '"' && etag.back() == '"');
    for (const auto& [name, value] : req.headers) {
        const bool strong = routes::etag_matches(value, etag, false);
        const bool weak = routes::etag_matches(value, etag, true);
        FUZZ_CHECK(!strong || weak);  // weak comparison accepts everything strong does
    }
    // A list that ends with the tag itself always matches, whatever comes before it.
    FUZZ_CHECK(routes::etag_matches(std::string(fuzz::as_text(data, size)) + ", " + etag, etag, false));
    return 0;
}
