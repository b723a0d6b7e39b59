#pragma once
// rapidcheck generators of linear-head instances (construction: checkers/head_instance.hpp).

#include <rapidcheck.h>

#include "ncverify/checkers/head_instance.hpp"

namespace ncverify {

/// rapidcheck prints counterexamples with this (found by argument-dependent lookup).
inline void showValue(const HeadParameters& p, std::ostream& os) { print_head_parameters(p, os); }

}  // namespace ncverify

namespace ncverify::testing {

using ncverify::HeadParameters;

/// Parameters over the ranges of sample_head_parameters, drawn by rapidcheck (so that
/// failures shrink towards small K, n, L2 and widths).
inline rc::Gen<HeadParameters> head_parameters(int max_classes = 5, int max_depth = 4) {
    return rc::gen::exec([=] {
        HeadParameters p;
        p.num_classes = *rc::gen::inRange(2, max_classes + 1);
        p.per_class = *rc::gen::inRange(2, 7);
        p.linear_layers = *rc::gen::inRange(2, max_depth + 1);
        const bool pyramidal = *rc::gen::inRange(0, 10) < 7;
        p.widths.assign(static_cast<std::size_t>(p.linear_layers + 1), p.num_classes);
        for (Index j = p.linear_layers - 1; j >= 0; --j) {
            const Index extra = *rc::gen::inRange(0, 5);
            const Index floor = pyramidal ? p.widths[static_cast<std::size_t>(j + 1)] : p.num_classes;
            p.widths[static_cast<std::size_t>(j)] = floor + extra;
        }
        p.log10_kappa = *rc::gen::inRange(0, 150) / 100.0;
        p.scale = *rc::gen::inRange(20, 400) / 100.0;
        p.log10_perturbation = -*rc::gen::inRange(0, 900) / 100.0;
        p.log10_fit = -*rc::gen::inRange(0, 700) / 100.0;
        p.null_noise = *rc::gen::inRange(0, 100) / 100.0;
        p.seed = *rc::gen::arbitrary<std::uint64_t>();
        return p;
    });
}

/// The instance in double.
inline CheckState<double> head_instance(HeadParameters p, bool break_interpolation = false) {
    p.break_interpolation = break_interpolation;
    return make_head_instance(p);
}

/// The same instance converted exactly to S at the working precision.
template <class S>
CheckState<S> convert_state(const CheckState<double>& state, const Precision& precision) {
    return convert_check_state<S>(state, precision);
}

}  // namespace ncverify::testing
