// The Prometheus text exposition format.
#include "metrics/exposition.hpp"

#include <cstdio>

namespace metrics {

std::string escape_label(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string family(std::string_view name, std::string_view type, std::string_view help) {
    std::string out = "# HELP ";
    out.append(name).append(" ").append(help).append("\n# TYPE ");
    out.append(name).append(" ").append(type).append("\n");
    return out;
}

std::string single(std::string_view name, std::string_view type, std::string_view help,
                   double value) {
    char number[64];
    // %.17g: integral counts print as integers, exactly up to 2^53.
    std::snprintf(number, sizeof number, "%.17g", value);
    std::string out = family(name, type, help);
    out.append(name).append(" ").append(number).append("\n");
    return out;
}

}  // namespace metrics
