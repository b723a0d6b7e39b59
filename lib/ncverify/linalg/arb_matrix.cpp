#include "ncverify/linalg/arb_matrix.hpp"

#include <string>

namespace ncverify {
namespace {

void require_product_shapes(const ArbMatrix& a, const ArbMatrix& b) {
    if (a.cols() != b.rows())
        throw ShapeMismatch("matrix product: left operand is " + std::to_string(a.rows()) + "x" +
                            std::to_string(a.cols()) + ", right operand is " + std::to_string(b.rows()) + "x" +
                            std::to_string(b.cols()) + "; inner dimensions must agree");
}

}  // namespace

ArbMatrix approx_multiply(const ArbMatrix& a, const ArbMatrix& b, unsigned bits) {
    require_product_shapes(a, b);
    ArbMatrix c(a.rows(), b.cols());
    arb_mat_approx_mul(c.get(), a.get(), b.get(), static_cast<slong>(bits));
    return c;
}

ArbMatrix certified_multiply(const ArbMatrix& a, const ArbMatrix& b, unsigned bits) {
    require_product_shapes(a, b);
    ArbMatrix c(a.rows(), b.cols());
    arb_mat_mul(c.get(), a.get(), b.get(), static_cast<slong>(bits));
    return c;
}

}  // namespace ncverify
