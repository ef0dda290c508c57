// Where the tests find the stack that `make test` started.
#pragma once

#include <string>

namespace testing_support {

// The value of a TEST_* variable. Throws (failing the test, never skipping it) when unset,
// with a hint to run the suite through `make test`.
std::string require_env(const char* name);

// A fresh random lower-case suffix for names that must not collide between runs.
std::string random_suffix();

}  // namespace testing_support
