#pragma once
// The matrix on which Eigen 3.4's BDCSVD failed (found by LinalgProperties.MoorePenroseDouble):
// 21 x 20 of rank 11 with singular values 10^(-d i / 10), d = 6 x a uniform draw; BDCSVD
// returned s_10 = 2.03e-6 for 1.69e-6. Shared by the tests of every SVD route.

#include <cmath>

#include "ncverify/linalg/constructed_matrices.hpp"

namespace ncverify::testing {

struct BdcsvdRegressionCase {
    Vector<double> singular_values;  // the rank-11 construction, descending
    Matrix<double> matrix;           // 21 x 20
};

inline BdcsvdRegressionCase bdcsvd_regression_case() {
    RandomSource random(13407978995622ULL);
    const Index rank = 11;
    BdcsvdRegressionCase result;
    result.singular_values.resize(rank);
    const double decades = 6.0 * random.uniform();
    for (Index i = 0; i < rank; ++i) result.singular_values(i) = std::pow(10.0, -decades * double(i) / double(rank - 1));
    result.matrix = matrix_with_singular_values<double>(21, 20, result.singular_values, random);
    return result;
}

}  // namespace ncverify::testing
