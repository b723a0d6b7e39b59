#pragma once
// The thin SVD of H_{L1} shared by the checkers of one run_checkers call (T2's rank and
// pseudo-inverse of the features, T3's feature bound through T2, T5's ||H_{L1}||_op): on
// features of real models (512 x 50,000) it is the largest single computation of a check,
// and it was repeated by each checker.
//
// Contract: the cache holds a value only inside a FeatureDecompositionScope, which
// run_checkers opens on a state it receives as const, so the features cannot change while
// the value is held; the scope's end drops it. Outside a scope every call computes afresh.
// Copies of a cache are empty (a copied CheckState whose features are then modified never
// sees the original's decomposition). Not thread-safe: one run_checkers per state at a time.

#include <memory>

#include "ncverify/linalg/singular_value_decomposition.hpp"

namespace ncverify {

template <class S>
class FeatureDecompositionCache {
public:
    FeatureDecompositionCache() = default;
    FeatureDecompositionCache(const FeatureDecompositionCache&) {}
    FeatureDecompositionCache& operator=(const FeatureDecompositionCache&) {
        svd_.reset();
        return *this;
    }

    /// thin_svd(features): inside a scope computed on the first call and shared after.
    std::shared_ptr<const SingularValueDecomposition<S>> thin_svd_of(const Matrix<S>& features) const {
        if (active_ && svd_) return svd_;
        auto svd = std::make_shared<const SingularValueDecomposition<S>>(thin_svd(features));
        if (active_) svd_ = svd;
        return svd;
    }

private:
    template <class>
    friend class FeatureDecompositionScope;
    mutable bool active_ = false;
    mutable std::shared_ptr<const SingularValueDecomposition<S>> svd_;  // held inside the scope only
};

/// Enables `cache` for its lifetime (see above); nested scopes on the same cache are
/// harmless (the outermost one drops the value).
template <class S>
class FeatureDecompositionScope {
public:
    explicit FeatureDecompositionScope(const FeatureDecompositionCache<S>& cache)
        : cache_(cache), outermost_(!cache.active_) {
        cache_.active_ = true;
    }
    ~FeatureDecompositionScope() {
        if (!outermost_) return;
        cache_.active_ = false;
        cache_.svd_.reset();
    }
    FeatureDecompositionScope(const FeatureDecompositionScope&) = delete;
    FeatureDecompositionScope& operator=(const FeatureDecompositionScope&) = delete;

private:
    const FeatureDecompositionCache<S>& cache_;
    bool outermost_;
};

}  // namespace ncverify
