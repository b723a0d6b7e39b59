#include "html.hpp"

#include <fmt/core.h>

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
