// Where the tests find the stack that `make test` started.
#include "support/env.hpp"

#include <cstdlib>
#include <stdexcept>

#include "util/crypto.hpp"
#include "util/text.hpp"

namespace testing_support {

std::string require_env(const char* name) {
    const char* v = std::getenv(name);
    if (!v || !*v)
        throw std::runtime_error(std::string(name) +
                                 " is not set: run the suite with `make test`, which starts the "
                                 "stack and exports it");
    return v;
}

std::string random_suffix() {
    std::array<uint8_t, 6> bytes{};
    util::random_bytes(bytes);
    return util::hex_encode(bytes);
}

}  // namespace testing_support
