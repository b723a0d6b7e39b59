#include "ncverify/data/balanced_subsample.hpp"

#include <algorithm>
#include <utility>

#include "ncverify/errors.hpp"
#include "ncverify/random/random_source.hpp"

namespace ncverify {

std::vector<Index> balanced_subsample(const std::vector<Index>& labels, Index num_classes, Index samples_per_class,
                                      std::uint64_t seed, const std::string& source) {
    if (num_classes < 1)
        throw InvalidArgument("balanced subsample of " + source + ": num_classes = " + std::to_string(num_classes) +
                              "; it must be at least 1");
    if (samples_per_class < 0)
        throw InvalidArgument("balanced subsample of " + source + ": samples_per_class = " +
                              std::to_string(samples_per_class) + "; use 0 (every sample) or a positive count");
    std::vector<std::vector<Index>> members(static_cast<std::size_t>(num_classes));
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] < 0 || labels[i] >= num_classes)
            throw InputError(source + ": label " + std::to_string(labels[i]) + " of sample " + std::to_string(i) +
                             " is outside [0, " + std::to_string(num_classes) + ")");
        members[static_cast<std::size_t>(labels[i])].push_back(static_cast<Index>(i));
    }
    for (std::size_t c = 0; c < members.size(); ++c) {
        const Index available = static_cast<Index>(members[c].size());
        if (available == 0)
            throw InputError(source + ": class " + std::to_string(c) + " has no samples; each of the " +
                             std::to_string(num_classes) + " classes needs at least one");
        if (available < samples_per_class)
            throw InputError(source + ": class " + std::to_string(c) + " has " + std::to_string(available) +
                             " samples, fewer than the " + std::to_string(samples_per_class) + " requested per class");
    }

    std::vector<Index> selected;
    RandomSource random(seed);
    for (std::vector<Index>& in_class : members) {
        if (samples_per_class > 0) {
            const Index available = static_cast<Index>(in_class.size());
            for (Index t = 0; t < samples_per_class; ++t)
                std::swap(in_class[static_cast<std::size_t>(t)],
                          in_class[static_cast<std::size_t>(random.uniform_integer(t, available - 1))]);
            in_class.resize(static_cast<std::size_t>(samples_per_class));
            std::sort(in_class.begin(), in_class.end());
        }
        selected.insert(selected.end(), in_class.begin(), in_class.end());
    }
    return selected;
}

}  // namespace ncverify
