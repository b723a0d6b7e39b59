#pragma once
// Suggestions for misspelled names (configuration keys, command-line options and
// subcommands, checker IDs).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ncverify {

/// The optimal-string-alignment distance between `a` and `b`: the fewest insertions,
/// deletions, substitutions and transpositions of adjacent characters that turn one into
/// the other, no substring edited twice ("learnig_rate" -> "learning_rate": 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `name` by edit_distance, if that distance is at most
/// max(1, |name| / 3) (a misspelling, not a different word) and not 0; the first of equally
/// close candidates. std::nullopt otherwise.
std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace ncverify
