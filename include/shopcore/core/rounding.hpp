#ifndef SHOPCORE_CORE_ROUNDING_HPP
#define SHOPCORE_CORE_ROUNDING_HPP

/// @file Named rounding modes used wherever an exact value must become a whole number of minor
/// units (money::multiply, tax, percentage discounts).

#include <shopcore/export.hpp>

namespace shopcore {

/// How an exact value is rounded to a whole number of minor units.
///
/// | exact value | half_up | half_even | down | up |
/// |---|---|---|---|---|
/// |  2.5 |  3 |  2 |  2 |  3 |
/// |  3.5 |  4 |  4 |  3 |  4 |
/// |  2.4 |  2 |  2 |  2 |  3 |
/// |  2.6 |  3 |  3 |  2 |  3 |
/// | -2.5 | -3 | -2 | -2 | -3 |
/// | -2.4 | -2 | -2 | -2 | -3 |
///
/// Every mode is symmetric about zero: rounding -x gives minus the rounding of x.
enum class rounding {
    half_up,    ///< To the nearest; ties away from zero. The default everywhere.
    half_even,  ///< To the nearest; ties to the even neighbour (banker's rounding).
    down,       ///< Toward zero (truncation).
    up,         ///< Away from zero.
};

/// The snake_case name of a mode ("half_up", "half_even", "down", "up").
/// @returns a static string; "unknown" for a value outside the enumeration.
[[nodiscard]] SHOPCORE_EXPORT const char* rounding_name(rounding mode) noexcept;

}  // namespace shopcore

#endif  // SHOPCORE_CORE_ROUNDING_HPP
