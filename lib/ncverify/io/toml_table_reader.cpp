#include "ncverify/io/toml_table_reader.hpp"

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "ncverify/errors.hpp"
#include "ncverify/io/closest_name.hpp"

namespace ncverify {

TomlTableReader::TomlTableReader(const toml::table& table, std::string path, std::string file)
    : table_(&table), path_(std::move(path)), file_(std::move(file)) {}

std::string TomlTableReader::qualified(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

std::string TomlTableReader::position(const toml::node* node) const {
    const toml::source_region& source = node ? node->source() : table_->source();
    return fmt::format("{}:{}:{}", file_, source.begin.line, source.begin.column);
}

std::vector<std::string> TomlTableReader::unread_keys() const {
    std::vector<std::string> keys;
    for (const auto& [key, node] : *table_)
        if (!read_.count(key.str())) keys.emplace_back(key.str());
    return keys;
}

void TomlTableReader::fail(std::string_view key, const std::string& message) const {
    const toml::node* node = key.empty() ? nullptr : table_->get(key);
    if (key.empty()) throw InputError(fmt::format("{}: {}", position(node), message));
    std::string hint;
    // A key that is absent (e.g. required) may be present misspelled.
    if (!node)
        for (const std::string& unknown : unread_keys())
            if (closest_name(unknown, {std::string(key)}))
                hint = fmt::format(" (the unknown key {} at {} looks like a misspelling of it)", qualified(unknown),
                                   position(table_->get(unknown)));
    throw InputError(fmt::format("{}: {}: {}{}", position(node), qualified(key), message, hint));
}

const toml::node* TomlTableReader::find(std::string_view key) {
    read_.emplace(key);
    return table_->get(key);
}

bool TomlTableReader::has(std::string_view key) { return find(key) != nullptr; }

std::optional<std::string> TomlTableReader::string(std::string_view key) {
    const toml::node* node = find(key);
    if (!node) return std::nullopt;
    if (const auto* value = node->as_string()) return value->get();
    fail(key, fmt::format("expected a string, got {}", toml::impl::node_type_friendly_names[static_cast<int>(node->type())]));
}

std::optional<std::int64_t> TomlTableReader::integer(std::string_view key) {
    const toml::node* node = find(key);
    if (!node) return std::nullopt;
    if (const auto* value = node->as_integer()) return value->get();
    fail(key, fmt::format("expected an integer, got {}", toml::impl::node_type_friendly_names[static_cast<int>(node->type())]));
}

std::optional<std::string> TomlTableReader::string_or_integer(std::string_view key) {
    const toml::node* node = find(key);
    if (!node) return std::nullopt;
    if (const auto* value = node->as_string()) return value->get();
    if (const auto* value = node->as_integer()) return std::to_string(value->get());
    fail(key, fmt::format("expected a string or an integer, got {}",
                          toml::impl::node_type_friendly_names[static_cast<int>(node->type())]));
}

std::optional<double> TomlTableReader::number(std::string_view key) {
    const toml::node* node = find(key);
    if (!node) return std::nullopt;
    if (const auto* value = node->as_floating_point()) return value->get();
    if (const auto* value = node->as_integer()) return static_cast<double>(value->get());
    fail(key, fmt::format("expected a number, got {}", toml::impl::node_type_friendly_names[static_cast<int>(node->type())]));
}

std::optional<bool> TomlTableReader::boolean(std::string_view key) {
    const toml::node* node = find(key);
    if (!node) return std::nullopt;
    if (const auto* value = node->as_boolean()) return value->get();
    fail(key, fmt::format("expected true or false, got {}", toml::impl::node_type_friendly_names[static_cast<int>(node->type())]));
}

std::optional<std::vector<std::int64_t>> TomlTableReader::integer_array(std::string_view key) {
    const toml::node* node = find(key);
    if (!node) return std::nullopt;
    const toml::array* array = node->as_array();
    if (!array) fail(key, "expected an array of integers");
    std::vector<std::int64_t> values;
    for (const toml::node& element : *array) {
        const auto* value = element.as_integer();
        if (!value) fail(key, fmt::format("expected an array of integers; element {} is not an integer", values.size()));
        values.push_back(value->get());
    }
    return values;
}

std::optional<std::vector<double>> TomlTableReader::number_array(std::string_view key) {
    const toml::node* node = find(key);
    if (!node) return std::nullopt;
    const toml::array* array = node->as_array();
    if (!array) fail(key, "expected an array of numbers");
    std::vector<double> values;
    for (const toml::node& element : *array) {
        if (const auto* f = element.as_floating_point())
            values.push_back(f->get());
        else if (const auto* i = element.as_integer())
            values.push_back(static_cast<double>(i->get()));
        else
            fail(key, fmt::format("expected an array of numbers; element {} is not a number", values.size()));
    }
    return values;
}

std::optional<TomlTableReader> TomlTableReader::table(std::string_view key) {
    const toml::node* node = find(key);
    if (!node) return std::nullopt;
    const toml::table* sub = node->as_table();
    if (!sub) fail(key, "expected a table");
    return TomlTableReader(*sub, qualified(key), file_);
}

std::vector<TomlTableReader> TomlTableReader::table_array(std::string_view key) {
    const toml::node* node = find(key);
    if (!node) return {};
    const toml::array* array = node->as_array();
    if (!array || !array->is_array_of_tables()) fail(key, fmt::format("expected an array of tables ([[{}]])", qualified(key)));
    std::vector<TomlTableReader> tables;
    for (std::size_t i = 0; i < array->size(); ++i)
        tables.emplace_back(*array->get(i)->as_table(), fmt::format("{}[{}]", qualified(key), i), file_);
    return tables;
}

void TomlTableReader::finish() const {
    const std::vector<std::string> unread = unread_keys();
    if (unread.empty()) return;
    const std::string& key = unread.front();
    const std::vector<std::string> valid(read_.begin(), read_.end());
    const std::optional<std::string> meant = closest_name(key, valid);
    throw InputError(fmt::format("{}: unknown key {}{}{}", position(table_->get(key)), qualified(key),
                                 meant ? fmt::format("; did you mean {}?", qualified(*meant)) : std::string(),
                                 valid.empty() ? std::string(" (this table takes no keys)")
                                               : fmt::format(" (valid keys here: {})", fmt::join(valid, ", "))));
}

toml::table parse_toml(std::string_view text, const std::string& file) {
    try {
        return toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        throw InputError(fmt::format("{}:{}:{}: invalid TOML: {}", file, e.source().begin.line, e.source().begin.column,
                                     e.description()));
    }
}

}  // namespace ncverify
