// Structured log lines (one JSON object per line on stderr) for operators.
#pragma once

#include <initializer_list>
#include <span>
#include <string_view>
#include <utility>

namespace util {

enum class LogLevel { debug, info, warn, error };

// Lines below this level are dropped; set once from the configuration.
void set_log_level(LogLevel level);

// Writes {"ts":...,"level":...,"event":...,<fields>} as one line. Never pass a password,
// hash, token or session id as a field: this function cannot tell them apart.
void log(LogLevel level, std::string_view event,
         std::initializer_list<std::pair<std::string_view, std::string_view>> fields = {});
// The same, for fields gathered at run time.
void log(LogLevel level, std::string_view event,
         std::span<const std::pair<std::string_view, std::string_view>> fields);

}  // namespace util
