// Fuzzes Cookie headers: http::parse_cookies and the session id lookup every page runs
// (routes::Cookies::get), and the session-id shape check that guards Redis.
#include <cstdint>

#include "fuzz_support.hpp"
#include "http/parse.hpp"
#include "app/services.hpp"
#include "routes/cookies.hpp"

namespace {

// Connections open lazily; the addresses are unreachable on purpose, so that nothing here can
// ever reach a real stack.
app::Config unreachable() {
    app::Config c;
    c.database_url = "postgresql://nobody@127.0.0.1:1/none";
    c.redis_url = "redis://127.0.0.1:1/0";
    return c;
}

app::Services& harness_services() {
    static const app::Config config = unreachable();
    static const service::Passwords passwords({16, 1, 1});
    static app::Services instance(config, passwords);
    return instance;
}

bool has_edge_space(std::string_view s) {
    return !s.empty() && (s.front() == ' ' || s.front() == '\t' || s.back() == ' ' ||
                          s.back() == '\t');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view header = fuzz::as_text(data, size);
    const auto cookies = http::parse_cookies(header);
    FUZZ_CHECK(cookies.size() <= 64);
    for (const auto& [name, value] : cookies) {
        FUZZ_CHECK(!name.empty());
        FUZZ_CHECK(name.find(';') == std::string::npos && value.find(';') == std::string::npos);
        FUZZ_CHECK(name.find('=') == std::string::npos);
        FUZZ_CHECK(!has_edge_space(name));
        FUZZ_CHECK(name.size() + value.size() < size);
    }

    http::Request req;
    req.headers["cookie"] = std::string(header);
    static const routes::Cookies cookie_policy(false, 90);
    const auto sid = cookie_policy.get(req, "sid");
    const auto first = http::find_field(cookies, "sid");
    FUZZ_CHECK(sid.has_value() == first.has_value());
    if (sid) FUZZ_CHECK(*sid == *first);
    // touch() refuses anything that is not a session id before any Redis command; with no
    // Redis running, reaching Redis would throw, so a non-id must come back as nullopt.
    if (sid && sid->size() != 43) FUZZ_CHECK(!harness_services().sessions.touch(*sid));
    return 0;
}
