// HTML escaping and pre-parsed page templates: the one place where text becomes markup.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace util {

// Escapes & < > " ' so text is safe in element content and quoted attributes.
std::string html_escape(std::string_view text);
// html_escape(text) appended to out.
void append_html_escaped(std::string& out, std::string_view text);

// A template with {{name}} placeholders, split once at construction. render() escapes every
// value, so a page cannot be built with unescaped user text; {{{name}}} inserts trusted markup
// (fragments rendered by another Template).
class Template {
public:
    // The values by placeholder name. A page has a few dozen at most: a list searched in
    // order costs less than building a hash table on every render.
    using Values = std::initializer_list<std::pair<std::string_view, std::string_view>>;

    explicit Template(std::string_view source);

    // Fills the placeholders; a placeholder without a value renders as empty text.
    std::string render(const Values& values) const;

private:
    struct Part {
        std::string text;  // literal text, or the placeholder's name
        bool is_placeholder = false;
        bool raw = false;
    };
    std::vector<Part> parts_;
    size_t literal_size_ = 0;
};

}  // namespace util
