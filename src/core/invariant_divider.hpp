#ifndef SHOPCORE_SRC_CORE_INVARIANT_DIVIDER_HPP
#define SHOPCORE_SRC_CORE_INVARIANT_DIVIDER_HPP

// Internal: fast exact division of many 64-bit values by one divisor (money::allocate).

#include <cstdint>

#include "core/int128.hpp"

namespace shopcore::detail {

/// Division by a divisor that is the same for many dividends, without a hardware divide per
/// dividend (Granlund and Montgomery, "Division by invariant integers using multiplication",
/// 1994, figure 4.1): exact for every 64-bit dividend and every divisor >= 1.
class invariant_divider {
public:
    /// @pre divisor >= 1.
    explicit invariant_divider(std::uint64_t divisor) noexcept : divisor_(divisor) {
        // ceil(log2(divisor)): 0 for 1, else the bit length of divisor - 1.
        const int l = divisor <= 1 ? 0 : 64 - __builtin_clzll(divisor - 1);
        // m = floor(2^64 * (2^l - d) / d) + 1. The quotient fits 64 bits (2^l - d < d), so on
        // x86-64 one 128-by-64-bit divq computes it: far cheaper than the generic 128-bit
        // division the compiler would call, which matters when a divider serves a few
        // dividends only (the pricing engine builds one per discount code).
        const auto high = static_cast<std::uint64_t>((uint128{1} << l) - divisor);
#if defined(__x86_64__)
        std::uint64_t quotient = 0;
        std::uint64_t remainder = 0;
        __asm__("divq %4"
                : "=a"(quotient), "=d"(remainder)
                : "a"(std::uint64_t{0}), "d"(high), "rm"(divisor));
        multiplier_ = quotient + 1;
#else
        multiplier_ = static_cast<std::uint64_t>((uint128{high} << 64) / divisor + 1);
#endif
        shift1_ = l < 1 ? l : 1;
        shift2_ = l > 1 ? l - 1 : 0;
    }
    /// n / divisor, rounded down; exact for every n.
    std::uint64_t divide(std::uint64_t n) const noexcept {
        const auto t1 = static_cast<std::uint64_t>((uint128{multiplier_} * n) >> 64);
        return (t1 + ((n - t1) >> shift1_)) >> shift2_;
    }
    /// The divisor.
    std::uint64_t divisor() const noexcept { return divisor_; }

private:
    std::uint64_t divisor_;
    std::uint64_t multiplier_ = 0;
    int shift1_ = 0;
    int shift2_ = 0;
};

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_CORE_INVARIANT_DIVIDER_HPP
