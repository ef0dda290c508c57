// The words of the account pages (recovery, verification, two-step login, user management),
// in English and Brazilian Portuguese, looked up by key.
#pragma once

#include <string_view>
#include <vector>

#include "routes/i18n.hpp"

namespace routes {

// The text of key in lang; the key itself when the table lacks it (a unit test checks that
// every key has both languages).
std::string_view tr(Lang lang, std::string_view key);

// Every key of the table, for that test.
std::vector<std::string_view> account_text_keys();

}  // namespace routes
