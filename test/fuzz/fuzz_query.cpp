// Fuzzes query strings: http::parse_urlencoded (what every handler's query goes through),
// routes::read_query (the API's strict parameters), percent-decoding and base64url cursors.
#include <cstdint>

#include "fuzz_support.hpp"
#include "http/parse.hpp"
#include "util/text.hpp"
#include "http/request.hpp"
#include "routes/api.hpp"
#include "util/text.hpp"

namespace {

std::string encode(const http::Fields& fields) {
    std::string out;
    for (const auto& [name, value] : fields) {
        if (!out.empty()) out += '&';
        out += util::url_encode(name) + "=" + util::url_encode(value);
    }
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text = fuzz::as_text(data, size);

    // Percent-decoding never grows the text, and encoding then decoding gives the bytes back.
    for (bool plus : {true, false}) {
        if (auto decoded = util::url_decode(text, plus)) FUZZ_CHECK(decoded->size() <= size);
        FUZZ_CHECK(util::url_decode(util::url_encode(text), plus) == std::string(text));
    }

    http::Fields fields;
    if (fuzz::expect_ok_or_4xx([&] { fields = http::parse_urlencoded(text); })) {
        FUZZ_CHECK(fields.size() <= 32);
        for (const auto& [name, value] : fields) {
            FUZZ_CHECK(util::is_valid_utf8(name));
            FUZZ_CHECK(util::is_valid_utf8(value));
        }
        // Round trip: what we parsed, encoded again, parses to the same fields.
        FUZZ_CHECK(http::parse_urlencoded(encode(fields)) == fields);
    }

    http::Request req;
    req.method = "GET";
    req.path = "/api/v1/users";
    req.query = std::string(text);
    fuzz::expect_ok_or_4xx([&] {
        const auto strict = routes::read_query(req, {"limit", "after", "updated_since"});
        for (size_t i = 0; i < strict.size(); ++i) {
            const auto& name = strict[i].first;
            FUZZ_CHECK(name == "limit" || name == "after" || name == "updated_since");
            for (size_t j = 0; j < i; ++j) FUZZ_CHECK(strict[j].first != name);
        }
    });

    // Cursors (after=) are base64url: whatever decodes must encode back to a string that
    // decodes to the same bytes, and encoding arbitrary bytes must decode to them.
    if (auto raw = util::base64url_decode(text)) {
        const auto* bytes = reinterpret_cast<const uint8_t*>(raw->data());
        FUZZ_CHECK(util::base64url_decode(util::base64url_encode({bytes, raw->size()})) == *raw);
    }
    FUZZ_CHECK(util::base64url_decode(util::base64url_encode({data, size})) == std::string(text));
    util::is_rfc3339(text);
    util::parse_uint(text, INT64_MAX);
    return 0;
}
