#pragma once
// Pieces shared by the HTML pages ncv writes (`ncv report`, `ncv reproduce`): escaping,
// the stylesheet, status badges. Pages are self-contained (inline CSS) and link their
// images by relative paths, so they read from disk in any browser.

#include <string>
#include <string_view>

namespace ncverify::app {

/// `text` with & < > " ' replaced by their entities.
std::string html_escape(std::string_view text);

/// The inline stylesheet of every page (<style> content).
std::string_view html_stylesheet();

/// A coloured badge for a status word (holds, violated, proved, reproduced, ...).
std::string status_badge(const std::string& status);

}  // namespace ncverify::app
