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
        int l = 0;  // ceil(log2(divisor))
        while (l < 64 && (std::uint64_t{1} << l) < divisor) {
            ++l;
        }
        const uint128 two_l = uint128{1} << l;
        multiplier_ = static_cast<std::uint64_t>(((two_l - divisor) << 64) / divisor + 1);
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
