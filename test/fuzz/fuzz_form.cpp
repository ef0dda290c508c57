// Fuzzes form bodies as the handlers read them: the Content-Type check (routes::is_form_body,
// routes::read_form) and then the validators the login, registration, profile and password
// forms run on the decoded fields.
#include <cstdint>

#include "fuzz_support.hpp"
#include "routes/body.hpp"
#include "service/validation.hpp"
#include "util/text.hpp"

namespace {

constexpr const char* kContentTypes[] = {
    "application/x-www-form-urlencoded",
    "Application/X-WWW-Form-Urlencoded; charset=UTF-8",
    "application/json",
    "text/plain",
};

void check_validators(std::string_view value) {
    if (!service::check_username(value)) {
        FUZZ_CHECK(value.size() >= 3 && value.size() <= service::kMaxUsernameBytes);
        for (char c : value)
            FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                       c == '-');
    }
    if (!service::check_new_password(value, "user1")) {
        FUZZ_CHECK(util::is_valid_utf8(value));
        const size_t n = util::utf8_length(value);
        FUZZ_CHECK(n >= service::kMinPasswordChars && n <= service::kMaxPasswordChars);
    }
    if (!service::check_display_name(value)) {
        FUZZ_CHECK(util::is_valid_utf8(value));
        FUZZ_CHECK(!util::has_control_chars(value) && !util::has_unicode_controls(value));
        FUZZ_CHECK(util::utf8_length(value) <= 100);
    }
    if (!service::check_email(value)) {
        FUZZ_CHECK(value.size() <= 254 && util::is_valid_utf8(value));
        // Shown on pages next to the display name, so held to the same rule: no C0 or C1
        // controls and no Unicode line separators.
        FUZZ_CHECK(!util::has_control_chars(value) && !util::has_unicode_controls(value));
        const size_t at = value.find('@');
        FUZZ_CHECK(at != std::string_view::npos && value.find('@', at + 1) == std::string_view::npos);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) return 0;
    http::Request req;
    req.method = "POST";
    req.path = "/login";
    req.headers["content-type"] = kContentTypes[data[0] % 4];
    req.body = std::string(fuzz::as_text(data + 1, size - 1));

    bool form = false;
    fuzz::expect_ok_or_4xx([&] { form = routes::is_form_body(req); });
    http::Fields fields;
    const bool parsed = fuzz::expect_ok_or_4xx([&] { fields = routes::read_form(req); });
    FUZZ_CHECK(!parsed || (form && data[0] % 4 < 2));
    if (!parsed) return 0;
    FUZZ_CHECK(fields.size() <= 32);
    for (const auto& [name, value] : fields) {
        FUZZ_CHECK(util::is_valid_utf8(name) && util::is_valid_utf8(value));
        check_validators(value);
    }
    return 0;
}
