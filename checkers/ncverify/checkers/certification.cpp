#include "ncverify/checkers/certification.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <charconv>
#include <optional>

#include "ncverify/checkers/certificate_builder.hpp"
#include "ncverify/enclosure/ball.hpp"
#include "ncverify/errors.hpp"
#include "ncverify/scalar/precision.hpp"

namespace ncverify {

std::vector<unsigned> parse_precision_ladder(std::string_view text) {
    std::vector<unsigned> ladder;
    std::string_view rest = text;
    while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        const std::string_view item = rest.substr(0, comma);
        unsigned bits = 0;
        const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), bits);
        if (error != std::errc() || end != item.data() + item.size() || bits < min_mpfr_bits || bits > max_mpfr_bits)
            throw InvalidArgument(fmt::format("precision ladder \"{}\": \"{}\" is not a number of bits in [{}, {}]", text,
                                              item, min_mpfr_bits, max_mpfr_bits));
        if (!ladder.empty() && bits <= ladder.back())
            throw InvalidArgument(fmt::format("precision ladder \"{}\": precisions must increase", text));
        ladder.push_back(bits);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    if (ladder.empty()) throw InvalidArgument("precision ladder: empty; give e.g. \"53,128,256\"");
    return ladder;
}

namespace {

/// The certificate of every result of Theorem 3.1 (and T5's head form) on a head with
/// biases: the "bias-free head" hypothesis certainly fails (bias_hypotheses.hpp).
Certificate biased_head_certificate() {
    CertificateBuilder c;
    c.exact_hypothesis("bias-free head", "no linear layer has a bias (the theorem assumes none)", 1, "=", 0, false);
    return c.finish();
}

}  // namespace

std::vector<Certificate> certify_all_with_escalation(const std::vector<CertifyFunction>& certify,
                                                     const CertifiedStateSource& source, const CheckerOptions& options,
                                                     const CertificationOptions& certification) {
    if (certification.precision_ladder.empty()) throw InvalidArgument("certification: the precision ladder is empty");
    std::vector<Certificate> certificates(certify.size());
    std::vector<std::vector<CertificationAttempt>> attempts(certify.size());
    std::vector<bool> decided(certify.size(), false);
    for (const unsigned bits : certification.precision_ladder) {
        if (std::all_of(decided.begin(), decided.end(), [](bool d) { return d; })) break;
        const BallPrecisionScope scope(bits);
        auto start = std::chrono::steady_clock::now();
        // A value that leaves the range of the rung's approximate scalar (double at 53 bits:
        // e.g. features of size 1e300 whose Gram matrix overflows) makes the rung
        // inconclusive, not the check an error: the next rung computes in MPFR, whose
        // exponent range is unbounded for practical purposes.
        const auto out_of_range = [bits] {
            Certificate c;
            c.notes.push_back(fmt::format("at {} bits a value left the range of the approximate computations{}; "
                                          "escalated to the next precision",
                                          bits, bits == 53 ? " (double)" : ""));
            return c;
        };
        std::optional<CertifiedState> state;
        try {
            state.emplace(source(bits));
        } catch (const NonFiniteValue&) {
            for (std::size_t i = 0; i < certify.size(); ++i)
                if (!decided[i]) {
                    certificates[i] = out_of_range();
                    attempts[i].push_back({bits, CertifiedStatus::inconclusive, 0});
                }
            continue;
        }
        // The state is shared: its cost is charged to the first checker of the rung.
        for (std::size_t i = 0; i < certify.size(); ++i) {
            if (decided[i]) continue;
            try {
                certificates[i] = state->head_has_biases ? biased_head_certificate() : certify[i](*state, options);
            } catch (const NonFiniteValue&) {
                certificates[i] = out_of_range();
            }
            const auto end = std::chrono::steady_clock::now();
            attempts[i].push_back({bits, certificates[i].status, std::chrono::duration<double>(end - start).count()});
            start = end;
            if (certificates[i].status != CertifiedStatus::inconclusive) {
                certificates[i].deciding_bits = bits;
                decided[i] = true;
            }
        }
    }
    for (std::size_t i = 0; i < certify.size(); ++i) certificates[i].attempts = std::move(attempts[i]);
    return certificates;
}

Certificate certify_with_escalation(CertifyFunction certify, const CertifiedStateSource& source,
                                    const CheckerOptions& options, const CertificationOptions& certification) {
    return std::move(certify_all_with_escalation({certify}, source, options, certification).front());
}

}  // namespace ncverify
