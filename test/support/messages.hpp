// Messages in tests: their English sentence (as the API shows it), and printing for Boost.Test.
#pragma once

#include <ostream>
#include <string>

#include "model/message.hpp"
#include "routes/i18n.hpp"

namespace testing_support {

inline std::string english(const model::Message& m) { return routes::text(routes::Lang::en, m); }

}  // namespace testing_support

namespace model {

inline std::ostream& operator<<(std::ostream& out, const Message& m) {
    return out << testing_support::english(m);
}

}  // namespace model
