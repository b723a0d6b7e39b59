#pragma once
// Random linear-head instances for property tests, tightness studies and the adversarial
// search. An instance is a linear head W_{L1+1} ... W_L with input features H_{L1} for K
// balanced classes of n samples, built in double (then converted exactly to any
// scalar, so every precision sees the same numbers) from HeadParameters:
//   - widths d_0 .. d_{L2} with d_{L2} = K and every d_j >= K;
//   - an exactly balanced chain W_j = U_j S U_{j-1}^T, U_j (d_j x K) with orthonormal
//     columns, S diagonal with singular values scale * 10^{-log10_kappa * i/(K-1)};
//   - each W_j perturbed by a Gaussian matrix of relative Frobenius size
//     10^{log10_perturbation} (controls the balancedness eps2);
//   - features H = A^+ (Y + E0) + null_noise * (Gaussian noise projected on the null
//     space of A), ||E0||_F = 10^{log10_fit} sqrt(n) (controls the fit eps1), or
//     3 sqrt(n) when `break_interpolation` (to exercise failing hypotheses).

#include <cstdint>
#include <iosfwd>
#include <vector>

#include <nlohmann/json.hpp>

#include "ncverify/checkers/check_state.hpp"
#include "ncverify/random/random_source.hpp"

namespace ncverify {

struct HeadParameters {
    Index num_classes = 2, per_class = 2, linear_layers = 2;
    std::vector<Index> widths;  // d_0 .. d_{L2}
    double log10_kappa = 0, scale = 1, log10_perturbation = -3, log10_fit = -3, null_noise = 0;
    std::uint64_t seed = 0;
    bool break_interpolation = false;
};

/// Parameters drawn uniformly over the ranges used by the property tests:
/// K in [2, max_classes], n in [2, 6], L2 in [2, max_depth], widths pyramidal with
/// probability 0.7 (each d_j in [K, K+4] above its floor), log10_kappa in [0, 1.5],
/// scale in [0.2, 4], log10_perturbation in [-9, 0], log10_fit in [-7, 0], null_noise in [0, 1].
HeadParameters sample_head_parameters(RandomSource& random, int max_classes = 5, int max_depth = 4);

/// Builds the instance (double; throws like check_state_from_features on bad parameters).
CheckState<double> make_head_instance(const HeadParameters& parameters);

nlohmann::json head_parameters_to_json(const HeadParameters& parameters);
HeadParameters head_parameters_from_json(const nlohmann::json& json);
void print_head_parameters(const HeadParameters& parameters, std::ostream& os);

}  // namespace ncverify
