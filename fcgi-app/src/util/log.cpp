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

    Json line{json_object()};
    json_object_set_new(line.get(), "ts", json_string(ts));
    json_object_set_new(line.get(), "level", json_string(level_name(level)));
    json_object_set_new(line.get(), "pid", json_integer(getpid()));
    json_object_set_new(line.get(), "event", json_str(event));
    for (const auto& [key, value] : fields) {
        // Invalid UTF-8 from a client must not make the line disappear.
        json_t* v = json_stringn(value.data(), value.size());
        json_object_set_new(line.get(), std::string(key).c_str(), v ? v : json_string("<binary>"));
    }
    std::string text = json_dump(line.get());
    text += '\n';
    // One write(2) per line keeps lines from different workers from interleaving.
    [[maybe_unused]] auto ignored = write(STDERR_FILENO, text.data(), text.size());
}

}  // namespace util
