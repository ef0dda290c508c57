// HTML escaping and pre-parsed page templates: the one place where text becomes markup.
#include "util/html.hpp"

#include <stdexcept>

namespace util {

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

Template::Template(std::string_view source) {
    size_t pos = 0;
    while (pos < source.size()) {
        const size_t open = source.find("{{", pos);
        if (open == std::string_view::npos) break;
        const bool raw = source.substr(open, 3) == "{{{";
        const size_t name_start = open + (raw ? 3 : 2);
        const size_t close = source.find(raw ? "}}}" : "}}", name_start);
        if (close == std::string_view::npos) throw std::invalid_argument("unclosed placeholder");
        parts_.push_back({std::string(source.substr(pos, open - pos)), false, false});
        parts_.push_back({std::string(source.substr(name_start, close - name_start)), true, raw});
        pos = close + (raw ? 3 : 2);
    }
    parts_.push_back({std::string(source.substr(pos)), false, false});
    for (const auto& p : parts_)
        if (!p.is_placeholder) literal_size_ += p.text.size();
}

std::string Template::render(const Values& values) const {
    std::string out;
    out.reserve(literal_size_ + 512);
    for (const auto& part : parts_) {
        if (!part.is_placeholder) {
            out += part.text;
            continue;
        }
        auto it = values.find(part.text);
        if (it == values.end()) continue;
        out += part.raw ? std::string(it->second) : html_escape(it->second);
    }
    return out;
}

}  // namespace util
