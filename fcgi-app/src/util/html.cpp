// HTML escaping and pre-parsed page templates: the one place where text becomes markup.
#include "util/html.hpp"

#include <stdexcept>

namespace util {

void append_html_escaped(std::string& out, std::string_view text) {
    size_t plain = 0;  // start of the run of characters that need no escaping
    for (size_t i = 0; i < text.size(); ++i) {
        std::string_view entity;
        switch (text[i]) {
            case '&': entity = "&amp;"; break;
            case '<': entity = "&lt;"; break;
            case '>': entity = "&gt;"; break;
            case '"': entity = "&quot;"; break;
            case '\'': entity = "&#39;"; break;
            default: continue;
        }
        out.append(text, plain, i - plain);
        out += entity;
        plain = i + 1;
    }
    out.append(text, plain);
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 16);
    append_html_escaped(out, text);
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
        for (const auto& [name, value] : values) {
            if (name != part.text) continue;
            if (part.raw)
                out += value;
            else
                append_html_escaped(out, value);
            break;
        }
    }
    return out;
}

}  // namespace util
