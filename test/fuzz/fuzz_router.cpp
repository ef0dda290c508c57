// Fuzzes the path router with the real route table (routes::route_table): a match must be
// exactly its pattern with the captures put back, a 405 must name methods that really match,
// and nothing but 404 and 405 may escape.
#include <cstdint>
#include <map>
#include <set>

#include "fuzz_support.hpp"
#include "http/router.hpp"
#include "routes/routes.hpp"

namespace {

constexpr const char* kMethods[] = {"GET", "HEAD", "POST", "PATCH", "PUT", "DELETE", "OPTIONS", "get"};

// The real table's methods and patterns.
const http::Router& router() {
    static const http::Router instance = [] {
        std::vector<http::Route> patterns;
        for (const auto& row : routes::route_table()) patterns.push_back({row.method, row.pattern});
        return http::Router(std::move(patterns));
    }();
    return instance;
}

// The pattern with every {name} replaced by its capture.
std::string fill(std::string_view pattern, const std::map<std::string, std::string, std::less<>>& captures) {
    std::string out;
    size_t used = 0;
    while (!pattern.empty()) {
        const size_t open = pattern.find('{');
        if (open == std::string_view::npos) break;
        const size_t close = pattern.find('}', open);
        out += pattern.substr(0, open);
        const std::string_view name = pattern.substr(open + 1, close - open - 1);
        auto it = captures.find(name);
        FUZZ_CHECK(it != captures.end());
        out += it->second;
        ++used;
        pattern.remove_prefix(close + 1);
    }
    out += pattern;
    FUZZ_CHECK(used == captures.size());
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    http::Request req;
    req.method = kMethods[data[0] % 8];
    req.path = std::string(fuzz::as_text(data + 1, size - 1));
    try {
        const auto& route = router().routes().at(router().resolve(req));
        FUZZ_CHECK(route.method == (req.method == "HEAD" ? "GET" : req.method));
        for (const auto& [name, value] : req.path_params)
            FUZZ_CHECK(!value.empty() && value.find('/') == std::string::npos);
        FUZZ_CHECK(fill(route.pattern, req.path_params) == req.path);
    } catch (const http::Error& e) {
        FUZZ_CHECK(e.status() == 404 || e.status() == 405);
        if (e.status() == 405) {
            FUZZ_CHECK(e.headers().size() == 1 && e.headers()[0].first == "Allow");
            // Each method in Allow really serves this path.
            std::string_view allow = e.headers()[0].second;
            std::set<std::string> seen;
            while (!allow.empty()) {
                const size_t comma = allow.find(", ");
                const std::string method(allow.substr(0, comma));
                allow = comma == std::string_view::npos ? std::string_view{} : allow.substr(comma + 2);
                FUZZ_CHECK(seen.insert(method).second);
                FUZZ_CHECK(method != req.method);
                http::Request again = req;
                again.method = method;
                router().resolve(again);  // throws (and so crashes) if it does not match
            }
        }
    }
    return 0;
}
