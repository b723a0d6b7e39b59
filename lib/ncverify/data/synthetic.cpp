#include "ncverify/data/synthetic.hpp"

#include <charconv>
#include <cmath>

#include "ncverify/errors.hpp"
#include "ncverify/random/random_source.hpp"

namespace ncverify {

namespace {

/// The shortest text that reads back as `value`.
std::string format_double(double value) {
    char text[32];
    return std::string(text, std::to_chars(text, text + sizeof text, value).ptr);
}

void require_positive(Index value, const char* field) {
    if (value < 1)
        throw InvalidArgument(std::string("GaussianMixtureOptions::") + field + " = " + std::to_string(value) +
                              "; it must be at least 1");
}

void require_finite_non_negative(double value, const char* field) {
    if (!(std::isfinite(value) && value >= 0))
        throw InvalidArgument(std::string("GaussianMixtureOptions::") + field + " = " + format_double(value) +
                              "; it must be finite and >= 0");
}

}  // namespace

Dataset gaussian_mixture(const GaussianMixtureOptions& options) {
    require_positive(options.input_dim, "input_dim");
    require_positive(options.num_classes, "num_classes");
    require_positive(options.samples_per_class, "samples_per_class");
    require_finite_non_negative(options.mean_separation, "mean_separation");
    require_finite_non_negative(options.noise, "noise");
    Index num_samples = 0, entries = 0;
    if (__builtin_mul_overflow(options.num_classes, options.samples_per_class, &num_samples) ||
        __builtin_mul_overflow(num_samples, options.input_dim, &entries))
        throw InvalidArgument("GaussianMixtureOptions: input_dim x num_classes x samples_per_class = " +
                              std::to_string(options.input_dim) + " x " + std::to_string(options.num_classes) + " x " +
                              std::to_string(options.samples_per_class) + " overflows");

    RandomSource random(options.seed);
    Matrix<double> means = random.gaussian_matrix(options.input_dim, options.num_classes);
    for (Index c = 0; c < options.num_classes; ++c) {
        double squared_norm = 0;
        for (Index f = 0; f < options.input_dim; ++f) squared_norm = std::fma(means(f, c), means(f, c), squared_norm);
        means.col(c) *= options.mean_separation / std::sqrt(squared_norm);
    }

    Dataset data;
    data.num_classes = options.num_classes;
    data.inputs.resize(options.input_dim, num_samples);
    data.labels.resize(static_cast<std::size_t>(num_samples));
    for (Index i = 0; i < num_samples; ++i) {
        const Index c = i / options.samples_per_class;
        data.labels[static_cast<std::size_t>(i)] = c;
        for (Index f = 0; f < options.input_dim; ++f)
            data.inputs(f, i) = std::fma(options.noise, random.gaussian(), means(f, c));
    }
    data.name = "gaussian-mixture[d=" + std::to_string(options.input_dim) +
                ", K=" + std::to_string(options.num_classes) + ", n=" + std::to_string(options.samples_per_class) +
                "/class, separation=" + format_double(options.mean_separation) +
                ", noise=" + format_double(options.noise) + ", seed=" + std::to_string(options.seed) + "]";
    data.validate();
    return data;
}

}  // namespace ncverify
