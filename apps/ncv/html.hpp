#pragma once
// Pieces shared by the HTML pages ncv writes (`ncv report`, `ncv reproduce`): escaping,
// the stylesheet, status badges. Pages are self-contained (inline CSS) and link their
// images by relative paths, so they read from disk in any browser.

#include <string>
#include <string_view>

namespace ncverify::app {

/// `text` with & < > " ' replaced by their entities.
std::string html_escape(std::string_view text);

/// `text`, a formula or sentence in the plain-text notation the checkers and experiments
/// write (ASCII or UTF-8: `||D_l||_op`, `kappa_A^{2/L2}`, `NC1(H_{L-1})`, `s_i(W_L)^2`), as
/// HTML in the one rendering of math of the pages: every character of `text` is escaped as
/// by html_escape, and only these are rewritten, into tags this function writes itself:
///   - `||` is the norm bar ‖;
///   - after a base (a letter, digit, `)`, `]`, `}`, `|` or non-ASCII character), `_` and
///     `^` start a subscript <sub> and a superscript <sup> of: `{...}` (braces balanced,
///     rendered recursively), `(...)` for `_` (the parenthesised text), or else the run of
///     ASCII letters and digits or one non-ASCII character that follows (`^m_j`: the
///     superscript holds m<sub>j</sub>); an unclosed brace or parenthesis scripts the rest;
///   - Greek letter names as whole words (kappa, lambda, Sigma, ...) are the letters;
///   - an identifier (a word of letters, digits and `_` with two or more `_`, or with one
///     between two parts of at least 3 characters, the first not a Greek name: `eps2_chain`,
///     `learning_rate`) is left as it is.
/// A `_` or `^` without a base or an argument is left as it is.
std::string math_html(std::string_view text);

/// The inline stylesheet of every page (<style> content).
std::string_view html_stylesheet();

/// A coloured badge for a status word (holds, violated, proved, reproduced, ...).
std::string status_badge(const std::string& status);

}  // namespace ncverify::app
