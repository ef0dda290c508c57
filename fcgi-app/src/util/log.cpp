// Structured log lines (one JSON object per line on stderr) for operators.
#include "util/log.hpp"

#include <unistd.h>

#include <ctime>
#include <string>

#include "util/json.hpp"

namespace util {
namespace {

LogLevel g_level = LogLevel::info;

const char* level_name(LogLevel level) {
    switch (level) {
        case LogLevel::debug: return "debug";
        case LogLevel::info: return "info";
        case LogLevel::warn: return "warn";
        case LogLevel::error: return "error";
    }
    return "info";
}

}  // namespace

void set_log_level(LogLevel level) { g_level = level; }

void log(LogLevel level, std::string_view event,
         std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
    log(level, event, std::span(fields.begin(), fields.size()));
}

void log(LogLevel level, std::string_view event,
         std::span<const std::pair<std::string_view, std::string_view>> fields) {
    if (level < g_level) return;
    timespec now{};
    clock_gettime(CLOCK_REALTIME, &now);
    tm utc{};
    gmtime_r(&now.tv_sec, &utc);
    char ts[40];
    const size_t n = strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &utc);
    snprintf(ts + n, sizeof ts - n, ".%03ldZ", now.tv_nsec / 1000000);

    Json line = json_object_value();
    json_set(line, "ts", json_str(ts));
    json_set(line, "level", json_str(level_name(level)));
    json_set(line, "pid", json_int(getpid()));
    json_set(line, "event", json_str(event));
    for (const auto& [key, value] : fields) {
        // Invalid UTF-8 from a client must not make the line disappear.
        Json v = json_str(value);
        json_set(line, std::string(key).c_str(), v ? std::move(v) : json_str("<binary>"));
    }
    std::string text = json_dump(line.get());
    text += '\n';
    // One write(2) per line keeps lines from different workers from interleaving.
    [[maybe_unused]] auto ignored = write(STDERR_FILENO, text.data(), text.size());
}

}  // namespace util
