#include "html.hpp"

#include <fmt/core.h>

#include <array>
#include <utility>

namespace ncverify::app {

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
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

namespace {

bool ascii_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool non_ascii(char c) { return (static_cast<unsigned char>(c) & 0x80) != 0; }
/// The length of the UTF-8 sequence that starts at text[i] (1 for a stray byte).
std::size_t code_point_length(std::string_view text, std::size_t i) {
    std::size_t n = 1;
    while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) ++n;
    return n;
}

constexpr std::array<std::pair<std::string_view, std::string_view>, 28> kGreek{{
    {"alpha", "α"}, {"beta", "β"},   {"gamma", "γ"},  {"delta", "δ"}, {"epsilon", "ε"}, {"zeta", "ζ"},
    {"eta", "η"},   {"theta", "θ"},  {"kappa", "κ"},  {"lambda", "λ"}, {"mu", "μ"},      {"nu", "ν"},
    {"xi", "ξ"},    {"rho", "ρ"},    {"sigma", "σ"},  {"tau", "τ"},   {"phi", "φ"},     {"chi", "χ"},
    {"psi", "ψ"},   {"omega", "ω"},  {"Gamma", "Γ"},  {"Delta", "Δ"}, {"Theta", "Θ"},   {"Lambda", "Λ"},
    {"Sigma", "Σ"}, {"Phi", "Φ"},    {"Psi", "Ψ"},    {"Omega", "Ω"},
}};

std::string_view greek_letter(std::string_view word) {
    for (const auto& [name, letter] : kGreek)
        if (name == word) return letter;
    return {};
}

/// Whether `word` (letters, digits and '_') is an identifier that math_html keeps as it is.
bool is_identifier(std::string_view word) {
    const std::size_t first = word.find('_');
    if (first == std::string_view::npos || first == 0 || word.back() == '_') return false;
    if (word.find('_', first + 1) != std::string_view::npos) return true;
    const std::string_view left = word.substr(0, first), right = word.substr(first + 1);
    return left.size() >= 3 && right.size() >= 3 && greek_letter(left).empty();
}

/// The index of the bracket closing the one at text[open] (text.size() when unclosed).
std::size_t closing(std::string_view text, std::size_t open, char open_bracket, char close_bracket) {
    int depth = 0;
    for (std::size_t i = open; i < text.size(); ++i) {
        if (text[i] == open_bracket) ++depth;
        if (text[i] == close_bracket && --depth == 0) return i;
    }
    return text.size();
}

std::string render_math(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '|' && i + 1 < text.size() && text[i + 1] == '|') {
            out += "‖";
            i += 2;
            continue;
        }
        if (ascii_alnum(c)) {
            std::size_t end = i;
            while (end < text.size() && (ascii_alnum(text[end]) || text[end] == '_')) ++end;
            const std::string_view word = text.substr(i, end - i);
            const bool word_start = i == 0 || !(ascii_alnum(text[i - 1]) || text[i - 1] == '_');
            if (word_start && is_identifier(word)) {
                out += html_escape(word);
                i = end;
                continue;
            }
            std::size_t letters = i;
            while (letters < text.size() && ascii_letter(text[letters])) ++letters;
            const bool whole_word = (i == 0 || !ascii_letter(text[i - 1])) && letters > i;
            const std::string_view letter = whole_word ? greek_letter(text.substr(i, letters - i)) : std::string_view{};
            if (!letter.empty()) {
                out += letter;
                i = letters;
            } else {
                out += c;
                ++i;
            }
            continue;
        }
        if ((c == '_' || c == '^') && i > 0 && i + 1 < text.size()) {
            const char before = text[i - 1];
            const bool base = ascii_alnum(before) || before == ')' || before == ']' || before == '}' || before == '|' ||
                              non_ascii(before);
            const char* tag = c == '_' ? "sub" : "sup";
            const char next = text[i + 1];
            std::size_t argument_begin = i + 1, argument_end = i + 1, resume = i + 1;
            if (next == '{' || (c == '_' && next == '(')) {
                argument_begin = i + 2;
                argument_end = closing(text, i + 1, next, next == '{' ? '}' : ')');
                resume = std::min(argument_end + 1, text.size());
            } else if (ascii_alnum(next)) {
                while (argument_end < text.size() && ascii_alnum(text[argument_end])) ++argument_end;
                // ^m_j: the superscript holds the subscripted m_j
                if (c == '^' && argument_end + 1 < text.size() && text[argument_end] == '_' &&
                    ascii_alnum(text[argument_end + 1])) {
                    argument_end += 2;
                    while (argument_end < text.size() && ascii_alnum(text[argument_end])) ++argument_end;
                }
                resume = argument_end;
            } else if (non_ascii(next)) {
                argument_end = i + 1 + code_point_length(text, i + 1);
                resume = argument_end;
            }
            if (base && argument_end > argument_begin) {
                out += fmt::format("<{0}>{1}</{0}>", tag,
                                   render_math(text.substr(argument_begin, argument_end - argument_begin)));
                i = resume;
                continue;
            }
        }
        out += html_escape(text.substr(i, 1));
        ++i;
    }
    return out;
}

}  // namespace

std::string math_html(std::string_view text) { return render_math(text); }

std::string_view html_stylesheet() {
    static constexpr std::string_view style = R"css(
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; margin: 2em auto;
       max-width: 1100px; padding: 0 1em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.55em; vertical-align: top; }
th { background: #f4f4f4; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.kv th { width: 14em; }
.scroll { overflow-x: auto; }
.name { color: #666; font-size: 0.85em; white-space: normal; }
.status { display: inline-block; padding: 0.05em 0.5em; border-radius: 0.6em; font-weight: 600; white-space: nowrap; }
.status-holds, .status-completed, .status-reached_target_loss, .status-proved, .status-reproduced { background: #dff0d8; color: #2b542c; }
.status-violated, .status-proof_step_failed, .status-fails, .status-diverged, .status-refuted, .status-not-reproduced { background: #f2dede; color: #a94442; }
.status-hypotheses_not_met { background: #fcf0d8; color: #8a5a00; }
.status-inconclusive, .status-undecided, .status-interrupted, .status-running { background: #e8e8e8; color: #444; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.92em; color: #444; max-width: 900px; }
nav a { margin-right: 1em; } details { margin: 0.4em 0; } summary { cursor: pointer; }
pre { background: #f7f7f7; padding: 0.6em; overflow-x: auto; font-size: 0.88em; }
.note { color: #666; font-size: 0.92em; }
footer { margin-top: 3em; color: #777; font-size: 0.85em; }
)css";
    return style;
}


std::string status_badge(const std::string& status) {
    return fmt::format("<span class=\"status status-{0}\">{0}</span>", html_escape(status));
}

}  // namespace ncverify::app
