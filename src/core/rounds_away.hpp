#ifndef SHOPCORE_SRC_CORE_ROUNDS_AWAY_HPP
#define SHOPCORE_SRC_CORE_ROUNDS_AWAY_HPP

// Internal: the one place that decides how a quotient is rounded (money::multiply and the
// pricing engine's prepared rates).

#include <shopcore/core/rounding.hpp>

namespace shopcore::detail {

/// Whether the truncated quotient q (remainder rem != 0, divisor d > 0) moves one unit away from
/// zero under `mode`. Compares |rem| with d - |rem| instead of 2|rem| with d, which cannot
/// overflow.
template <class Int>
bool rounds_away(rounding mode, const Int& q, const Int& abs_rem, const Int& d) {
    switch (mode) {
        case rounding::down:
            return false;
        case rounding::up:
            return true;
        case rounding::half_up:
            return abs_rem >= d - abs_rem;
        case rounding::half_even: {
            const Int other = d - abs_rem;
            return abs_rem > other || (abs_rem == other && (q % 2) != 0);
        }
    }
    return false;
}

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_CORE_ROUNDS_AWAY_HPP
