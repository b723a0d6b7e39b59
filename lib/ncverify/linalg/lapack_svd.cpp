#include "ncverify/linalg/lapack_svd.hpp"

#include <climits>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "ncverify/errors.hpp"
#include "ncverify/linalg/blas_product.hpp"

// dgesdd as gfortran compiles it: every argument by reference, then the hidden length of
// the CHARACTER argument JOBZ.
extern "C" void dgesdd_(const char* jobz, const int* m, const int* n, double* a, const int* lda, double* s,
                        double* u, const int* ldu, double* vt, const int* ldvt, double* work, const int* lwork,
                        int* iwork, int* info, std::size_t jobz_length);

namespace ncverify::detail {

namespace {

int lapack_int(Index value, const char* what) {
    if (value > INT_MAX)
        throw InvalidArgument(std::string("lapack_thin_svd: ") + what + " = " + std::to_string(value) +
                              " exceeds LAPACK's 32-bit integers");
    return static_cast<int>(value);
}

}  // namespace

std::optional<SingularValueDecomposition<double>> lapack_thin_svd(const Matrix<double>& a, bool with_vectors) {
    limit_openblas_to_one_thread();
    lapack_int(a.size(), "rows x columns");
    // dgesdd on the tall orientation (m >= n): its QR of contiguous columns is blocked
    // BLAS-3, where the LQ of a wide column-major matrix runs mostly in level-2 kernels
    // (3x slower at 512 x 50,000). A^T = V S U^T, so the factors swap.
    const bool wide = a.rows() < a.cols();
    Matrix<double> tall = wide ? Matrix<double>(a.transpose()) : a;  // dgesdd overwrites it
    const int m = lapack_int(tall.rows(), "rows"), n = lapack_int(tall.cols(), "columns");
    SingularValueDecomposition<double> result;
    result.singular_values.resize(n);
    if (n == 0) return result;
    const char jobz = with_vectors ? 'S' : 'N';
    Matrix<double> u, vt;
    if (with_vectors) {
        u.resize(m, n);
        vt.resize(n, n);
    }
    const int lda = m, ldu = m, ldvt = n;
    double* u_data = with_vectors ? u.data() : nullptr;
    double* vt_data = with_vectors ? vt.data() : nullptr;
    std::vector<int> iwork(static_cast<std::size_t>(8) * static_cast<std::size_t>(n));
    int info = 0, query = -1;
    double optimal = 0;
    dgesdd_(&jobz, &m, &n, tall.data(), &lda, result.singular_values.data(), u_data, &ldu, vt_data, &ldvt, &optimal,
            &query, iwork.data(), &info, 1);
    if (info != 0) throw std::logic_error("lapack_thin_svd: dgesdd workspace query failed, INFO = " + std::to_string(info));
    const int lwork = lapack_int(static_cast<Index>(optimal) + 1, "workspace");
    std::vector<double> work(static_cast<std::size_t>(lwork));
    dgesdd_(&jobz, &m, &n, tall.data(), &lda, result.singular_values.data(), u_data, &ldu, vt_data, &ldvt,
            work.data(), &lwork, iwork.data(), &info, 1);
    if (info > 0) return std::nullopt;
    if (info < 0) throw std::logic_error("lapack_thin_svd: dgesdd rejected argument " + std::to_string(-info));
    if (with_vectors) {
        result.U = wide ? Matrix<double>(vt.transpose()) : std::move(u);
        result.V = wide ? std::move(u) : Matrix<double>(vt.transpose());
    }
    return result;
}

}  // namespace ncverify::detail
