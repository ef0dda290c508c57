// What every fuzz target shares: an invariant check that crashes (so libFuzzer keeps the
// input), and a way to run a parser that may only fail with a 4xx http::Error.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/error.hpp"

// Aborts with the failed condition: libFuzzer reports it as a crash and saves the input.
#define FUZZ_CHECK(cond)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, __FILE__, \
                         __LINE__);                                                        \
            std::abort();                                                                  \
        }                                                                                  \
    } while (0)

namespace fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Runs f; an http::Error must be a client error (4xx), since the worker turns anything else
// into a 500 or 503. Any other exception escapes and crashes the target on purpose.
// Returns true when f returned normally.
template <typename F>
bool expect_ok_or_4xx(F&& f) {
    try {
        f();
        return true;
    } catch (const http::Error& e) {
        FUZZ_CHECK(e.status() >= 400 && e.status() < 500);
        return false;
    }
}

}  // namespace fuzz
