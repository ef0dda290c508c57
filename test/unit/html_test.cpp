#define BOOST_TEST_MODULE unit_html
#include <boost/test/unit_test.hpp>
// Covers util/html: html_escape and Template (escaped {{x}}, raw {{{x}}}, missing values, syntax errors).

#include <stdexcept>
#include <string>
#include <vector>

#include "util/html.hpp"

BOOST_AUTO_TEST_CASE(html_escape_replaces_all_five_special_characters) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"&", "&amp;"},   {"<", "&lt;"},     {">", "&gt;"},
        {"\"", "&quot;"}, {"'", "&#39;"},
        {"<a href=\"x\" title='y'>Tom & Jerry</a>",
         "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;"},
    };
    for (const auto& [input, expected] : cases) {
        BOOST_TEST_CONTEXT("input: " << input) { BOOST_TEST(util::html_escape(input) == expected); }
    }
}

BOOST_AUTO_TEST_CASE(html_escape_escapes_an_existing_entity_again) {
    BOOST_TEST(util::html_escape("&amp;") == "&amp;amp;");
}

BOOST_AUTO_TEST_CASE(html_escape_leaves_other_text_and_utf8_alone) {
    const std::string text = "plain text 123 \xC3\xA9\xE2\x82\xAC {}/=;";
    BOOST_TEST(util::html_escape(text) == text);
    BOOST_TEST(util::html_escape("").empty());
}

BOOST_AUTO_TEST_CASE(template_without_placeholders_renders_its_text) {
    const util::Template t("<p>static</p>");
    BOOST_TEST(t.render({}) == "<p>static</p>");
}

BOOST_AUTO_TEST_CASE(template_substitutes_every_placeholder) {
    const util::Template t("Hello, {{name}}! You are {{name}} ({{role}}).");
    BOOST_TEST(t.render({{"name", "Ann"}, {"role", "admin"}}) == "Hello, Ann! You are Ann (admin).");
}

BOOST_AUTO_TEST_CASE(template_escapes_double_brace_values) {
    const util::Template t("<h1>{{name}}</h1><input value=\"{{v}}\">");
    BOOST_TEST(t.render({{"name", "<script>alert(1)</script>"}, {"v", "\" onfocus='x'"}}) ==
               "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"
               "<input value=\"&quot; onfocus=&#39;x&#39;\">");
}

BOOST_AUTO_TEST_CASE(template_inserts_triple_brace_values_raw) {
    const util::Template t("<main>{{{body}}}</main>");
    BOOST_TEST(t.render({{"body", "<p>trusted & ready</p>"}}) == "<main><p>trusted & ready</p></main>");
}

BOOST_AUTO_TEST_CASE(template_missing_value_renders_empty) {
    const util::Template t("[{{a}}][{{{b}}}]");
    BOOST_TEST(t.render({}) == "[][]");
    BOOST_TEST(t.render({{"a", "x"}}) == "[x][]");
}

BOOST_AUTO_TEST_CASE(template_value_that_looks_like_a_placeholder_is_not_expanded) {
    const util::Template t("{{a}}");
    BOOST_TEST(t.render({{"a", "{{b}}"}, {"b", "secret"}}) == "{{b}}");
}

BOOST_AUTO_TEST_CASE(template_placeholders_at_start_and_end_and_adjacent) {
    const util::Template t("{{a}}{{b}}-{{a}}");
    BOOST_TEST(t.render({{"a", "1"}, {"b", "2"}}) == "12-1");
}

BOOST_AUTO_TEST_CASE(template_renders_the_same_output_each_time) {
    const util::Template t("x={{x}}");
    BOOST_TEST(t.render({{"x", "1"}}) == "x=1");
    BOOST_TEST(t.render({{"x", "2"}}) == "x=2");
}

BOOST_AUTO_TEST_CASE(template_with_an_unclosed_placeholder_throws_invalid_argument) {
    const std::vector<std::string> bad = {"{{", "abc {{name", "{{{raw}}", "{{a}} {{b}", "{{{x"};
    for (const auto& source : bad) {
        BOOST_TEST_CONTEXT("source: " << source) {
            BOOST_CHECK_THROW(util::Template{source}, std::invalid_argument);
        }
    }
}

BOOST_AUTO_TEST_CASE(template_single_braces_are_literal_text) {
    const util::Template t("a { b } {c} }}");
    BOOST_TEST(t.render({{"c", "x"}}) == "a { b } {c} }}");
}
