// Command-line arguments of the operator commands.
#include "cli/args.hpp"

#include <iostream>

#include "routes/i18n.hpp"
#include "util/text.hpp"

namespace cli {

Args Args::parse(const std::vector<std::string>& args, const std::set<std::string>& known) {
    Args out;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (!a.starts_with("--")) {
            out.words.push_back(a);
            continue;
        }
        if (!known.contains(a)) throw UsageError("unknown option " + a);
        if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
        out.flags.emplace(a, args[++i]);
    }
    return out;
}

std::optional<std::string> Args::flag(const std::string& name) const {
    auto range = flags.equal_range(name);
    if (range.first == range.second) return std::nullopt;
    return std::prev(range.second)->second;
}

std::vector<std::string> Args::all(const std::string& name) const {
    std::vector<std::string> values;
    auto range = flags.equal_range(name);
    for (auto it = range.first; it != range.second; ++it) values.push_back(it->second);
    return values;
}

const std::string& Args::word(size_t i, const char* what) const {
    if (i >= words.size()) throw UsageError(std::string("missing ") + what);
    return words[i];
}

void Args::expect_words(size_t n) const {
    if (words.size() > n) throw UsageError("unexpected argument " + words[n]);
}

int64_t Args::number(const std::string& name, int64_t fallback, int64_t max) const {
    auto v = flag(name);
    if (!v) return fallback;
    auto n = util::parse_uint(*v, static_cast<uint64_t>(max));
    if (!n || *n == 0) throw UsageError(name + " must be a number from 1 to " + std::to_string(max));
    return static_cast<int64_t>(*n);
}

std::string errors_text(const service::FieldErrors& errors) {
    std::string text;
    for (const auto& [field, message] : errors)
        text += (text.empty() ? "" : "; ") + field + ": " + routes::text(routes::Lang::en, message);
    return text;
}

std::string read_secret_line() {
    std::string line;
    if (!std::getline(std::cin, line)) throw std::runtime_error("no password on standard input");
    if (line.ends_with('\r')) line.pop_back();
    if (line.empty()) throw std::runtime_error("the password on standard input is empty");
    return line;
}

}  // namespace cli
