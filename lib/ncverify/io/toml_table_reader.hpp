#pragma once
// TomlTableReader: typed, strict reading of one TOML table. Every value is read
// through it, so that
//   - a wrong type is an error naming the file, line, column, key and expected type;
//   - a key nobody read is an error (`finish`) naming it with its position, the
//     closest valid key (closest_name.hpp) and the valid keys of the table: misspellings
//     never pass silently;
//   - an error about a missing key (`fail`, e.g. "is required") names the unread key of
//     the table that looks like its misspelling.
// Errors are InputError with messages "FILE:LINE:COLUMN: ...".

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

namespace ncverify {

class TomlTableReader {
public:
    /// `path` is the dotted name of the table ("" for the root), `file` names the source.
    TomlTableReader(const toml::table& table, std::string path, std::string file);

    std::optional<std::string> string(std::string_view key);
    std::optional<std::int64_t> integer(std::string_view key);
    /// A string, or an integer as its decimal text (keys that take either, e.g.
    /// run.precision = "double" | "256" | 256).
    std::optional<std::string> string_or_integer(std::string_view key);
    /// Integers are accepted where a float is expected.
    std::optional<double> number(std::string_view key);
    std::optional<bool> boolean(std::string_view key);
    std::optional<std::vector<std::int64_t>> integer_array(std::string_view key);
    std::optional<std::vector<double>> number_array(std::string_view key);
    std::optional<TomlTableReader> table(std::string_view key);
    /// An array of tables ([[key]]); empty when absent.
    std::vector<TomlTableReader> table_array(std::string_view key);

    /// True iff the key is present (marks it as read).
    bool has(std::string_view key);
    /// True iff the key is present, without marking it as read (for rejecting keys that
    /// do not apply).
    bool contains(std::string_view key) const { return table_->get(key) != nullptr; }
    /// Throws InputError for the first key never read, listing the keys that were read
    /// as the valid ones.
    void finish() const;
    /// Throws InputError "FILE:LINE:COLUMN: key: message" at the key (or the table); for an
    /// absent key, with the unread key of the table that is a misspelling of it, if any.
    [[noreturn]] void fail(std::string_view key, const std::string& message) const;
    const std::string& file() const { return file_; }

private:
    const toml::node* find(std::string_view key);
    std::string qualified(std::string_view key) const;
    std::string position(const toml::node* node) const;
    std::vector<std::string> unread_keys() const;  // present but never read, in table order

    const toml::table* table_;
    std::string path_;
    std::string file_;
    std::set<std::string, std::less<>> read_;
};

/// Parses TOML text; syntax errors become InputError "FILE:LINE:COLUMN: description".
toml::table parse_toml(std::string_view text, const std::string& file);

}  // namespace ncverify
