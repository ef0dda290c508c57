// A strict reader of the Prometheus text exposition format (0.0.4) for tests: it throws on
// anything a Prometheus server would refuse, and returns every sample by its series.
#pragma once

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

namespace testing_support {

struct PrometheusSamples {
    // "name{labels as written}" (or just "name") → value.
    std::map<std::string, double> series;
    std::set<std::string> names;

    bool has(const std::string& name) const { return names.contains(name); }
    // The value of one series; 0 when the series is absent (counters start at zero).
    double value(const std::string& key) const {
        auto it = series.find(key);
        return it == series.end() ? 0 : it->second;
    }
    // The sum over every series of a metric whose key contains `filter`.
    double sum(const std::string& name, const std::string& filter = "") const {
        double total = 0;
        for (const auto& [key, v] : series)
            if ((key == name || key.starts_with(name + "{")) && key.find(filter) != std::string::npos)
                total += v;
        return total;
    }
};

inline PrometheusSamples parse_prometheus(const std::string& text) {
    auto fail = [](const std::string& why, const std::string& line) {
        throw std::runtime_error("not Prometheus text (" + why + "): " + line);
    };
    auto is_name_start = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':'; };
    auto is_name_char = [&](char c) { return is_name_start(c) || std::isdigit(static_cast<unsigned char>(c)); };
    PrometheusSamples out;
    std::set<std::string> typed;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        if (line[0] == '#') {
            std::istringstream words(line.substr(1));
            std::string kind, name, rest;
            words >> kind >> name;
            if (kind == "TYPE") {
                words >> rest;
                static const std::set<std::string> types = {"counter", "gauge", "histogram",
                                                            "summary", "untyped"};
                if (!types.contains(rest)) fail("unknown type", line);
                if (!typed.insert(name).second) fail("second TYPE line", line);
            }
            continue;
        }
        size_t i = 0;
        if (!is_name_start(line[0])) fail("bad metric name", line);
        while (i < line.size() && is_name_char(line[i])) ++i;
        const std::string name = line.substr(0, i);
        if (i < line.size() && line[i] == '{') {
            ++i;
            while (i < line.size() && line[i] != '}') {
                const size_t start = i;
                while (i < line.size() && is_name_char(line[i]) && line[i] != ':') ++i;
                if (i == start || i >= line.size() || line[i] != '=') fail("bad label name", line);
                if (++i >= line.size() || line[i] != '"') fail("label value not quoted", line);
                for (++i; i < line.size() && line[i] != '"'; ++i) {
                    if (line[i] == '\\') {
                        if (++i >= line.size() || (line[i] != '\\' && line[i] != '"' && line[i] != 'n'))
                            fail("bad escape", line);
                    }
                }
                if (i >= line.size()) fail("unterminated label value", line);
                ++i;
                if (i < line.size() && line[i] == ',') ++i;
            }
            if (i >= line.size()) fail("unterminated labels", line);
            ++i;
        }
        const std::string key = line.substr(0, i);
        if (i >= line.size() || line[i] != ' ') fail("no value", line);
        std::string value = line.substr(i + 1);
        if (auto sp = value.find(' '); sp != std::string::npos) value = value.substr(0, sp);
        double v = 0;
        if (value == "+Inf") v = HUGE_VAL;
        else if (value == "-Inf") v = -HUGE_VAL;
        else if (value == "NaN") v = NAN;
        else {
            char* end = nullptr;
            v = std::strtod(value.c_str(), &end);
            if (value.empty() || *end != '\0') fail("bad value", line);
        }
        if (!out.series.emplace(key, v).second) fail("duplicate series", line);
        out.names.insert(name);
    }
    return out;
}

}  // namespace testing_support
