#include "ncverify/enclosure/class_statistics_enclosure.hpp"

#include <fmt/core.h>

namespace ncverify {

ClassStatisticsEnclosure enclose_class_statistics(const ArbMatrix& features, const std::vector<Index>& labels,
                                                  Index num_classes) {
    const Index p = features.rows(), N = features.cols(), K = num_classes;
    const slong prec = static_cast<slong>(ball_precision_bits());
    if (static_cast<Index>(labels.size()) != N)
        throw ShapeMismatch(fmt::format("enclose_class_statistics: {} labels for {} samples", labels.size(), N));
    std::vector<Index> counts(static_cast<std::size_t>(K), 0);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] < 0 || labels[i] >= K)
            throw InvalidArgument(fmt::format("enclose_class_statistics: label {} of sample {} is outside [0, {})", labels[i], i, K));
        ++counts[static_cast<std::size_t>(labels[i])];
    }
    for (Index c = 0; c < K; ++c)
        if (counts[static_cast<std::size_t>(c)] == 0)
            throw InvalidArgument(fmt::format("enclose_class_statistics: class {} has no sample", c));

    ClassStatisticsEnclosure result;
    result.class_means = ArbMatrix(p, K);  // zero
    ArbMatrix& M = result.class_means;
    for (Index i = 0; i < N; ++i)
        for (Index r = 0; r < p; ++r)
            arb_add(M.entry(r, labels[std::size_t(i)]), M.entry(r, labels[std::size_t(i)]), features.entry(r, i), prec);
    Ball global_sum;
    arb_t term;
    arb_init(term);
    for (Index r = 0; r < p; ++r) {
        // mu_G(r) = (sum over all samples) / N, from the class sums before they are divided.
        arb_zero(global_sum.get());
        for (Index c = 0; c < K; ++c) arb_add(global_sum.get(), global_sum.get(), M.entry(r, c), prec);
        arb_div_si(global_sum.get(), global_sum.get(), static_cast<slong>(N), prec);
        for (Index c = 0; c < K; ++c) arb_div_si(M.entry(r, c), M.entry(r, c), static_cast<slong>(counts[std::size_t(c)]), prec);
        for (Index c = 0; c < K; ++c) {
            arb_sub(term, M.entry(r, c), global_sum.get(), prec);
            arb_addmul(result.between_trace.get(), term, term, prec);
        }
    }
    arb_div_si(result.between_trace.get(), result.between_trace.get(), static_cast<slong>(K), prec);
    for (Index i = 0; i < N; ++i)
        for (Index r = 0; r < p; ++r) {
            arb_sub(term, features.entry(r, i), M.entry(r, labels[std::size_t(i)]), prec);
            arb_addmul(result.within_trace.get(), term, term, prec);
        }
    arb_div_si(result.within_trace.get(), result.within_trace.get(), static_cast<slong>(N), prec);
    arb_clear(term);
    return result;
}

}  // namespace ncverify
