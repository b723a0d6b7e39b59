#include "demo_command.hpp"

#include <fmt/core.h>

#include <memory>

#include "ncverify/linalg/condition_number.hpp"
#include "ncverify/linalg/constructed_matrices.hpp"

namespace ncverify::app {
namespace {

struct DemoOptions {
    std::string precision = "256";
    double kappa = 1e20;
    int rows = 12;
    int cols = 10;
    std::uint64_t seed = 1;
};

/// Reference matrix U diag(s) V^T with s log-spaced from 1 to 1/kappa, built at
/// `precision` bits and rounded to double for the double column.
void run_demo(const DemoOptions& options) {
    const Precision precision = Precision::parse(options.precision);
    if (precision.is_double()) throw InvalidArgument("demo: --precision must be a number of bits, not double");
    if (options.rows < 2 || options.cols < 2 || options.cols > options.rows)
        throw InvalidArgument("demo: need 2 <= cols <= rows, got rows=" + std::to_string(options.rows) +
                              ", cols=" + std::to_string(options.cols));
    if (!(options.kappa >= 1.0)) throw InvalidArgument("demo: --kappa must be >= 1");

    MpfrPrecisionScope scope(precision);
    RandomSource random(options.seed);
    const Index k = options.cols;
    Vector<Mpfr> s(k);
    for (Index i = 0; i < k; ++i) s(i) = pow(Mpfr(options.kappa), -Mpfr(i) / Mpfr(k - 1));
    const Matrix<Mpfr> a = matrix_with_singular_values<Mpfr>(options.rows, options.cols, s, random);
    const Vector<Mpfr> high = singular_values(a);
    const Vector<double> low = singular_values(to_double(a));

    fmt::print("ncverify demo: a {}x{} matrix U diag(s) V^T with s_i = kappa^(-i/{}), kappa = {:.3g}\n",
               options.rows, options.cols, k - 1, options.kappa);
    fmt::print("working precision: {}\n\n", precision.describe());
    fmt::print("{:>3}  {:>24}  {:>24}  {:>24}  {:>10}  {:>10}\n", "i", "constructed s_i", "mpfr s_i", "double s_i",
               "rel.err mp", "rel.err dbl");
    for (Index i = 0; i < k; ++i) {
        const double exact = ScalarTraits<Mpfr>::to_double(s(i));
        const double error_high = ScalarTraits<Mpfr>::to_double(abs(high(i) - s(i)) / s(i));
        const double error_low = std::abs(low(i) - exact) / exact;
        fmt::print("{:>3}  {:>24.16e}  {:>24.16e}  {:>24.16e}  {:>10.1e}  {:>10.1e}\n", i, exact,
                   ScalarTraits<Mpfr>::to_double(high(i)), low(i), error_high, error_low);
    }
    const Mpfr kappa_high = condition_number(a);
    const double kappa_low = condition_number(to_double(a));
    fmt::print("\nkappa (default rank rule: s_i > max(m,n) eps s_1):\n");
    fmt::print("  {:<8} rank {:>3}  kappa = {:.6e}\n", fmt::format("{} bits", precision.effective_bits()),
               numerical_rank(a), ScalarTraits<Mpfr>::to_double(kappa_high));
    fmt::print("  {:<8} rank {:>3}  kappa = {:.6e}\n", "double", numerical_rank(to_double(a)), kappa_low);
}

}  // namespace

void add_demo_command(CLI::App& app) {
    auto options = std::make_shared<DemoOptions>();
    CLI::App* demo = app.add_subcommand("demo", "Singular values of an ill-conditioned matrix in double vs MPFR");
    demo->add_option("--precision", options->precision, "MPFR precision in bits (53..4096)")->capture_default_str();
    demo->add_option("--kappa", options->kappa, "condition number of the constructed matrix")->capture_default_str();
    demo->add_option("--rows", options->rows, "rows")->capture_default_str();
    demo->add_option("--cols", options->cols, "columns (<= rows)")->capture_default_str();
    demo->add_option("--seed", options->seed, "64-bit seed of the random orthogonal factors")->capture_default_str();
    demo->callback([options] { run_demo(*options); });
}

}  // namespace ncverify::app
