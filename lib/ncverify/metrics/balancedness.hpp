#pragma once
// Balancedness of consecutive layers (THEORY.md §2):
//   D_l = W_{l+1}^T W_{l+1} - W_l W_l^T   (n_l x n_l, symmetric),
//   balancedness_gap(l) = ||D_l||_op = max |eigenvalue of D_l|,
//   relative_balancedness_gap(l) = ||D_l||_op / ||W_l||_op^2.
// Exact balancedness (D_l = 0) of all linear pairs gives A A^T = (W_L W_L^T)^{L2}.
// Accuracy: the eigenvalues of the computed D_l are within c * eps * ||D_l||_op of exact
// ones, and forming D_l adds c * eps * (||W_l||_op^2 + ||W_{l+1}||_op^2): a gap below
// that level is rounding noise (use a higher precision to resolve it).

#include <string>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/product.hpp"
#include "ncverify/linalg/symmetric_eigen.hpp"
#include "ncverify/metrics/feature_spectrum.hpp"

namespace ncverify {

/// D_l = W_next^T W_next - W W^T for W = W_l (n_l x n_{l-1}) and W_next = W_{l+1}
/// (n_{l+1} x n_l); throws ShapeMismatch when n_l differs.
template <class S>
Matrix<S> balancedness_matrix(const Matrix<S>& w, const Matrix<S>& w_next) {
    if (w_next.cols() != w.rows())
        throw ShapeMismatch("balancedness: W_l is " + std::to_string(w.rows()) + "x" + std::to_string(w.cols()) +
                            " but W_{l+1} is " + std::to_string(w_next.rows()) + "x" + std::to_string(w_next.cols()));
    Matrix<S> d = multiply(w_next.transpose(), w_next);
    d -= multiply(w, w.transpose());
    return d;
}

/// ||D||_op of a symmetric matrix: the largest eigenvalue in absolute value.
template <class S>
S symmetric_spectral_norm(const Matrix<S>& d) {
    if (d.size() == 0) return S(0);
    const Vector<S> eigenvalues = symmetric_eigenvalues(d);
    using std::abs;
    using std::max;
    return max(abs(eigenvalues(0)), abs(eigenvalues(eigenvalues.size() - 1)));
}

/// ||W_{l+1}^T W_{l+1} - W_l W_l^T||_op.
template <class S>
S balancedness_gap(const Matrix<S>& w, const Matrix<S>& w_next) {
    return symmetric_spectral_norm(balancedness_matrix(w, w_next));
}

/// ||D_l||_op / ||W_l||_op^2, the gap relative to the scale of the pair (THEORY.md §2).
/// ||W_l||_op by spectral_norm_by_lanczos (relative error ~ n eps). A zero W_l gives NaN
/// or +inf (0/0, x/0), following IEEE arithmetic.
template <class S>
S relative_balancedness_gap(const Matrix<S>& w, const Matrix<S>& w_next) {
    const S norm = spectral_norm_by_lanczos(w);
    return balancedness_gap(w, w_next) / (norm * norm);
}

}  // namespace ncverify
