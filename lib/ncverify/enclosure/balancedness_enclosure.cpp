#include "ncverify/enclosure/balancedness_enclosure.hpp"

#include <fmt/core.h>

#include "ncverify/enclosure/ball_matrix.hpp"

namespace ncverify {

ArbMatrix enclose_balancedness_matrix(const ArbMatrix& w, const ArbMatrix& w_next) {
    if (w_next.cols() != w.rows())
        throw ShapeMismatch(fmt::format("enclose_balancedness_matrix: W_l is {}x{} and W_(l+1) is {}x{}; W_(l+1) needs {} "
                                        "columns",
                                        w.rows(), w.cols(), w_next.rows(), w_next.cols(), w.rows()));
    return certified_difference(certified_product(transpose(w_next), w_next), certified_product(w, transpose(w)));
}

Ball enclose_balancedness_gap(const ArbMatrix& w, const ArbMatrix& w_next, unsigned approximation_bits) {
    return enclose_singular_values(enclose_balancedness_matrix(w, w_next), approximation_bits).spectral_norm();
}

}  // namespace ncverify
