// The Prometheus text exposition format (version 0.0.4), for every place that renders metrics
// (the counters, the process metrics, the mail queue's gauges).
#pragma once

#include <string>
#include <string_view>

namespace metrics {

// A label value with backslash, double quote and newline escaped.
std::string escape_label(std::string_view value);

// The "# HELP" and "# TYPE" lines that open a family (type: counter, gauge or histogram).
std::string family(std::string_view name, std::string_view type, std::string_view help);

// A family of one unlabelled sample: its HELP and TYPE lines and "name value".
std::string single(std::string_view name, std::string_view type, std::string_view help,
                   double value);

}  // namespace metrics
