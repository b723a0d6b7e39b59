// Evidence for proofs_notes/T2_nc2.md §2.6 (C-T2 does not give kappa(W_L) -> 1 with eps2
// fixed): the diagonal K = 2 chain W_j = diag(1, w_j), L2 layers, with w_j^2 = 1 except on
// the last 10 layers, where w_j^2 = 1 + 0.1 k (k = 1..10). For every L2 >= 11:
// eps2 = max_j ||D_j||_op = 0.1, rho = max_j ||W_j||_op = sqrt 2,
// kappa(A) = sqrt(1.1 * 1.2 * ... * 2.0) = 8.188 (bounded), kappa(W_L) = sqrt 2 (not -> 1);
// C-T2's right side (L2 - 1) eps2 grows like L2, so C-T2 says nothing here; T2.b4's R
// grows like 2^(L2-1) L2^2.
#include <cmath>
#include <string>
#include <vector>

#include "evidence.hpp"
#include "ncverify/linalg/condition_number.hpp"
#include "ncverify/linalg/spectral_norm.hpp"
#include "ncverify/metrics/balancedness.hpp"

using namespace ncverify;

int main() {
    evidence::Report report;
    double product = 1;
    for (int k = 1; k <= 10; ++k) product *= 1 + 0.1 * k;
    const double kappa_A_closed = std::sqrt(product);
    for (Index L2 : {12, 50, 200, 1000}) {
        std::vector<Matrix<double>> chain;  // chain[j] = W_(L1+1+j)
        for (Index j = 0; j < L2; ++j) {
            const Index k = j - (L2 - 10) + 1;  // 1..10 on the last 10 layers
            Matrix<double> w = Matrix<double>::Identity(2, 2);
            if (k >= 1) w(1, 1) = std::sqrt(1 + 0.1 * double(k));
            chain.push_back(w);
        }
        Matrix<double> A = Matrix<double>::Identity(2, 2);
        double eps2 = 0, rho = 0;
        for (Index j = 0; j < L2; ++j) {
            A = chain[static_cast<std::size_t>(j)] * A;
            rho = std::max(rho, spectral_norm(chain[static_cast<std::size_t>(j)]));
            if (j + 1 < L2)
                eps2 = std::max(eps2, balancedness_gap(chain[static_cast<std::size_t>(j)], chain[static_cast<std::size_t>(j + 1)]));
        }
        const std::string at = "L2 = " + std::to_string(L2) + ": ";
        report.quoted(at + "eps2 = max_j ||D_j||_op", eps2, 0.1, 1e-12);
        report.quoted(at + "rho = max_j ||W_j||_op", rho, std::sqrt(2.0), 1e-12);
        report.quoted(at + "kappa(A)", condition_number(A), 8.188, 1e-4);
        report.quoted(at + "kappa(A) = sqrt(1.1 * ... * 2.0)", condition_number(A), kappa_A_closed, 1e-10);
        report.quoted(at + "kappa(W_L)", condition_number(chain.back()), std::sqrt(2.0), 1e-12);
        report.quoted(at + "C-T2 right side (L2 - 1) eps2", double(L2 - 1) * eps2, 0.1 * double(L2 - 1), 1e-12);
    }
    return report.exit_status();
}
