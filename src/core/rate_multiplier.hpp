#ifndef SHOPCORE_SRC_CORE_RATE_MULTIPLIER_HPP
#define SHOPCORE_SRC_CORE_RATE_MULTIPLIER_HPP

// Internal: money::multiply by one fixed rate for many amounts, without a hardware divide per
// amount (the pricing engine's tax rates).

#include <cstdint>
#include <limits>

#include <shopcore/core/money.hpp>
#include <shopcore/core/ratio.hpp>
#include <shopcore/core/rounding.hpp>

#include "core/invariant_divider.hpp"
#include "core/rounds_away.hpp"

namespace shopcore::detail {

/// amount.multiply(rate, mode), exactly, with the division by the rate's denominator prepared
/// once.
class rate_multiplier {
public:
    rate_multiplier(const ratio& rate, rounding mode)
        : rate_(rate), mode_(mode), divider_(static_cast<std::uint64_t>(rate.denominator())) {}

    /// The same result as amount.multiply(rate, mode).
    [[nodiscard]] money apply(const money& amount) const {
        const std::int64_t minor = amount.minor_units();
        std::uint64_t product = 0;
        if (minor < 0 || rate_.numerator() < 0 ||
            __builtin_mul_overflow(static_cast<std::uint64_t>(minor),
                                   static_cast<std::uint64_t>(rate_.numerator()), &product) ||
            product > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return slow(amount);
        }
        const std::uint64_t den = divider_.divisor();
        std::uint64_t q = divider_.divide(product);
        const std::uint64_t rem = product - q * den;
        if (rem != 0 && rounds_away(mode_, q, rem, den)) ++q;
        return money::of_minor(static_cast<std::int64_t>(q), amount.currency());
    }

    /// The rate.
    [[nodiscard]] const ratio& rate() const noexcept { return rate_; }

private:
    // Negative amounts and products beyond int64: rare, so kept out of line, which lets the
    // common path above be inlined into the pricing loops.
    [[gnu::noinline]] money slow(const money& amount) const {
        return amount.multiply(rate_, mode_);
    }

    ratio rate_;
    rounding mode_;
    invariant_divider divider_;
};

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_CORE_RATE_MULTIPLIER_HPP
