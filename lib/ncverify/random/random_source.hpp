#pragma once
// RandomSource: the one seeded source of randomness of ncverify.
//
// Contract: a 64-bit seed determines every draw, on every platform with the same
// Boost version (mt19937_64 + Boost.Random's ziggurat normal distribution, both fully
// specified header-only algorithms, unlike std::normal_distribution). Draws are in
// double; they enter a higher precision through exact conversion, so the same seed
// gives the same numbers in every precision.

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <cstdint>

#include "ncverify/linalg/matrix.hpp"

namespace ncverify {

class RandomSource {
public:
    explicit RandomSource(std::uint64_t seed) : engine_(seed) {}

    /// A standard normal draw.
    double gaussian() { return boost::random::normal_distribution<double>(0.0, 1.0)(engine_); }
    /// A uniform draw in [0, 1).
    double uniform() { return boost::random::uniform_01<double>()(engine_); }
    /// A uniform integer in [low, high].
    std::int64_t uniform_integer(std::int64_t low, std::int64_t high) {
        return boost::random::uniform_int_distribution<std::int64_t>(low, high)(engine_);
    }
    /// A rows x cols matrix of independent standard normal draws, filled column by column.
    Matrix<double> gaussian_matrix(Index rows, Index cols) {
        Matrix<double> m(rows, cols);
        for (Index j = 0; j < cols; ++j)
            for (Index i = 0; i < rows; ++i) m(i, j) = gaussian();
        return m;
    }

private:
    boost::random::mt19937_64 engine_;
};

}  // namespace ncverify
