// The thin SVD of H_{L1} shared by the checkers of one run_checkers call
// (feature_decomposition_cache.hpp): shared only inside a scope, never by copies, and
// sharing changes no verdict.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "ncverify/checkers/registry.hpp"
#include "support/head_instances.hpp"

using namespace ncverify;
using namespace ncverify::testing;

TEST(FeatureDecompositionCache, SharedInsideAScopeOnlyAndNeverByCopies) {
    RandomSource random(17);
    const Matrix<double> features = random.gaussian_matrix(6, 20);
    FeatureDecompositionCache<double> cache;
    EXPECT_NE(cache.thin_svd_of(features), cache.thin_svd_of(features));  // outside a scope: afresh
    {
        const FeatureDecompositionScope<double> scope(cache);
        const auto first = cache.thin_svd_of(features);
        EXPECT_EQ(first, cache.thin_svd_of(features));
        {
            const FeatureDecompositionScope<double> nested(cache);
            EXPECT_EQ(first, cache.thin_svd_of(features));
        }
        EXPECT_EQ(first, cache.thin_svd_of(features));  // the nested scope did not drop it
        // A copy starts empty: with features twice as large it sees twice the s_1.
        const FeatureDecompositionCache<double> copy = cache;
        const FeatureDecompositionScope<double> copy_scope(copy);
        EXPECT_EQ(copy.thin_svd_of(2 * features)->singular_values(0), 2 * first->singular_values(0));
    }
    // After the scope the features may change: the next call sees them.
    EXPECT_EQ(cache.thin_svd_of(4 * features)->singular_values(0), 4 * thin_svd(features).singular_values(0));
}

// All checkers in one call (sharing the decomposition) report exactly what each reports
// alone (computing its own): same status, measured value and bound, bit for bit.
RC_GTEST_PROP(FeatureDecompositionCache, SharingChangesNoVerdict, ()) {
    const CheckState<double> state = head_instance(*head_parameters());
    const std::vector<Verdict> together = run_checkers(state);
    for (const Verdict& shared : together) {
        const std::vector<Verdict> alone = run_checkers(state, {}, {shared.result});
        RC_ASSERT(alone.size() == 1u);
        RC_ASSERT(alone[0].status == shared.status);
        RC_ASSERT(alone[0].measured == shared.measured || (std::isnan(alone[0].measured) && std::isnan(shared.measured)));
        RC_ASSERT(alone[0].bound == shared.bound || (std::isnan(alone[0].bound) && std::isnan(shared.bound)));
    }
}
