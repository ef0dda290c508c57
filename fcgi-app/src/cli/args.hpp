// Command-line arguments of the operator commands (positional words and --flag value pairs),
// and how their failures read.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "service/validation.hpp"

namespace cli {

// A usage mistake: exit code 2 with the command's usage text.
struct UsageError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

struct Args {
    std::vector<std::string> words;                          // positional, in order
    std::multimap<std::string, std::string> flags;           // --name value

    // Splits args; every --flag takes one value and must be one of `known`. Throws UsageError.
    static Args parse(const std::vector<std::string>& args, const std::set<std::string>& known);

    // The last value of a flag, if given.
    std::optional<std::string> flag(const std::string& name) const;
    // Every value of a repeatable flag.
    std::vector<std::string> all(const std::string& name) const;
    // Positional word i, or UsageError("missing <what>").
    const std::string& word(size_t i, const char* what) const;
    // UsageError unless there are exactly n positional words.
    void expect_words(size_t n) const;
    // A flag's value as a number from 1 to max (default when absent); UsageError otherwise.
    int64_t number(const std::string& name, int64_t fallback, int64_t max) const;
};

// Field errors as one English line: "email: Email must look like name@example.com.; ...".
std::string errors_text(const service::FieldErrors& errors);

// The first line of standard input without its newline: a password or a secret, never argv
// (which every local user can read in /proc). Throws std::runtime_error when there is none.
std::string read_secret_line();

}  // namespace cli
