// Evidence for proofs_notes/T1_nc1.md §2.3 (B_r versus the THEORY.md form) and §5
// (tightness of the b-term for every p <= N). Notation of the T1 note: W = W_L (K x p),
// V = W_(L-1) (p x q), H2 = H_(L-2), Z = V H2, E = W Z - Y, beta = ||W^T W - V V^T||_op.
//  (a) the a-term family p = q = K, W = V = I_K, Z = H2 = Y + E with E Pi = 0: with the
//      tightest admissible eps1 = e_F, eps2 = beta = 0, r = max(z_op, h2_op, w_op),
//      B_r / B_THEORY = r^2 / ||W||_op^2 > 1, so "B_r <= the THEORY.md form" is false;
//  (b) for K = 2, n = 3 (N = 6) and every p = K+1..N: W = [I_K 0], V = diag(I_K, sqrt(eps2)
//      I_(p-K)), H2 = [Y; U] with U (p-K rows) orthogonal to the rows of Y and to each other,
//      each of norm sqrt n: NC1 = B_meas = eps2 (p - K)/(K - 1) exactly.
#include <Eigen/QR>
#include <cmath>
#include <string>

#include "evidence.hpp"
#include "ncverify/linalg/spectral_norm.hpp"
#include "ncverify/metrics/balancedness.hpp"
#include "ncverify/metrics/class_statistics.hpp"
#include "ncverify/metrics/nc1.hpp"
#include "ncverify/random/random_source.hpp"

using namespace ncverify;

namespace {

struct T1Bounds {
    double nc1, B_meas, B_r, B_theory, r, w_op;
};

/// NC1(Z) and the three bounds of T1 §2.2, §2.3 and THEORY.md §3 step 6, with the tightest
/// admissible eps1 = e_F, eps2 = beta, r = max(z_op, h2_op, w_op).
T1Bounds t1_bounds(const Matrix<double>& W, const Matrix<double>& V, const Matrix<double>& H2, Index K, Index n) {
    const Matrix<double> Z = V * H2;
    Matrix<double> Y = Matrix<double>::Zero(K, K * n);
    std::vector<Index> labels;
    for (Index i = 0; i < K * n; ++i) {
        Y(i / n, i) = 1;
        labels.push_back(i / n);
    }
    const Matrix<double> E = W * Z - Y;
    const double e_F = E.norm(), e_op = spectral_norm(E), beta = balancedness_gap(V, W);
    const double z_op = spectral_norm(Z), h2_op = spectral_norm(H2), w_op = spectral_norm(W);
    const double sqrt_n = std::sqrt(double(n)), p_minus_K = double(W.cols() - K), N = double(K * n);
    const double a = e_F * z_op / (sqrt_n - e_op), b = h2_op * std::sqrt(p_minus_K * beta);
    T1Bounds t;
    t.nc1 = nc1_trace_ratio(class_statistics(Z, labels, K));
    t.B_meas = w_op * w_op * (a * a + b * b) / (double(K - 1) * (sqrt_n - e_op) * (sqrt_n - e_op));
    t.r = std::max({z_op, h2_op, w_op});
    t.w_op = w_op;
    const double r4 = std::pow(t.r, 4), gap = sqrt_n - e_F;
    t.B_r = r4 * (e_F * e_F / (gap * gap) + p_minus_K * beta) / (double(K - 1) * gap * gap);
    const double Delta = t.r * e_F / gap + t.r * std::sqrt(p_minus_K * beta);
    t.B_theory = double(K) * w_op * w_op * Delta * Delta /
                 (N * double(K - 1) * (1 - e_F / sqrt_n) * (1 - e_F / sqrt_n));
    return t;
}

}  // namespace

int main() {
    evidence::Report report;
    RandomSource random(20);

    // (a) K = 2, n = 4, W = V = I, E = 0.05 R / ||R||_F with R Pi = 0 (within-class noise).
    {
        const Index K = 2, n = 4, N = K * n;
        Matrix<double> R = random.gaussian_matrix(K, N);
        for (Index c = 0; c < K; ++c) R.middleCols(c * n, n).colwise() -= R.middleCols(c * n, n).rowwise().mean();
        Matrix<double> H2 = Matrix<double>::Zero(K, N);
        for (Index i = 0; i < N; ++i) H2(i / n, i) = 1;
        H2 += 0.05 * R / R.norm();
        const Matrix<double> I = Matrix<double>::Identity(K, K);
        const T1Bounds t = t1_bounds(I, I, H2, K, n);
        report.at_most("(a) NC1 <= B_meas (ratio)", t.nc1 / t.B_meas, 1.0);
        report.quoted("(a) B_r / B_THEORY", t.B_r / t.B_theory, t.r * t.r / (t.w_op * t.w_op), 1e-12);
        report.at_least("(a) B_r / B_THEORY = r^2/||W||_op^2 (> 1: the remark is false)", t.B_r / t.B_theory, 4.0);
        report.at_most("(a) B_meas / B_THEORY (<= 1, the measured form is below)", t.B_meas / t.B_theory, 1.0);
    }

    // (b) K = 2, n = 3, eps2 = 0.01, every p = K+1..N.
    const Index K = 2, n = 3, N = K * n;
    const double eps2 = 0.01;
    Matrix<double> basis(N, N);  // columns 0..K-1 span the rows of Y, the rest their complement
    basis.setZero();
    for (Index i = 0; i < N; ++i) basis(i, i / n) = 1;
    basis.rightCols(N - K) = random.gaussian_matrix(N, N - K);
    const Matrix<double> Q = Eigen::HouseholderQR<Matrix<double>>(basis).householderQ();
    for (Index p = K + 1; p <= N; ++p) {
        Matrix<double> W = Matrix<double>::Zero(K, p), V = Matrix<double>::Identity(p, p);
        W.leftCols(K) = Matrix<double>::Identity(K, K);
        V.bottomRightCorner(p - K, p - K) *= std::sqrt(eps2);
        Matrix<double> H2(p, N);
        H2.setZero();
        for (Index i = 0; i < N; ++i) H2(i / n, i) = 1;
        H2.bottomRows(p - K) = std::sqrt(double(n)) * Q.middleCols(K, p - K).transpose();
        const T1Bounds t = t1_bounds(W, V, H2, K, n);
        const std::string at = "(b) p = " + std::to_string(p) + ": ";
        report.quoted(at + "NC1", t.nc1, eps2 * double(p - K) / double(K - 1), 1e-12);
        report.quoted(at + "NC1 / B_meas", t.nc1 / t.B_meas, 1.0, 1e-12);
    }
    return report.exit_status();
}
