#ifndef SHOPCORE_SRC_CORE_CURRENCY_TABLE_HPP
#define SHOPCORE_SRC_CORE_CURRENCY_TABLE_HPP

// Internal: the ISO 4217 table behind shopcore::currency. Not installed.

#include <cstddef>
#include <cstdint>
#include <span>

namespace shopcore::detail {

/// One row of the ISO 4217 table.
struct currency_entry {
    char code[4];           ///< Three upper-case letters and a NUL.
    std::uint8_t exponent;  ///< Minor-unit digits, 0 to 4.
};

/// The table: entry 0 is "XXX" (no currency); entries 1.. are sorted by code.
std::span<const currency_entry> currency_table() noexcept;

/// Largest exponent the library accepts (CLF and UYW use 4).
inline constexpr int max_currency_exponent = 4;

}  // namespace shopcore::detail

#endif  // SHOPCORE_SRC_CORE_CURRENCY_TABLE_HPP
