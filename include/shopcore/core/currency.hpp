#ifndef SHOPCORE_CORE_CURRENCY_HPP
#define SHOPCORE_CORE_CURRENCY_HPP

/// @file ISO 4217 currencies: a code and the number of minor-unit digits (its exponent).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <shopcore/export.hpp>

namespace shopcore {

/// An ISO 4217 currency from shopcore's built-in table (src/core/currency_table.cpp).
///
/// A small regular value: two bytes, copied by value, compared with one integer comparison.
/// The default value is "XXX" (ISO's code for "no currency"), whose exponent is 0.
/// Thread safety: immutable; safe to share.
class SHOPCORE_EXPORT currency {
public:
    /// "XXX", no currency; exponent 0.
    constexpr currency() noexcept = default;

    /// The currency with this ISO 4217 alphabetic code.
    /// @param code exactly three upper-case letters, e.g. "USD" (no trimming, no case folding).
    /// @throws validation_error (field "currency") if the code is not in the table.
    [[nodiscard]] static currency of(std::string_view code);

    /// Whether `code` is a code `of()` accepts. Never throws.
    [[nodiscard]] static bool is_known(std::string_view code) noexcept;

    /// The three-letter code, e.g. "EUR".
    [[nodiscard]] std::string code() const;

    /// Number of minor-unit digits: 0 (JPY), 2 (EUR), 3 (BHD) or 4 (CLF).
    /// One minor unit is 10^-exponent of the major unit.
    [[nodiscard]] constexpr int exponent() const noexcept {
        return static_cast<int>(value_ >> exponent_shift);
    }

    /// Same currency. Never throws.
    [[nodiscard]] constexpr bool operator==(const currency& other) const noexcept {
        return value_ == other.value_;
    }
    /// Different currency. Never throws.
    [[nodiscard]] constexpr bool operator!=(const currency& other) const noexcept {
        return value_ != other.value_;
    }

    /// A hash consistent with ==.
    [[nodiscard]] constexpr std::size_t hash() const noexcept { return value_; }

private:
    // Bits 0-11: index into the table; bits 12-15: the exponent, kept here so that exponent()
    // needs no table lookup. Equality still compares one integer.
    static constexpr unsigned exponent_shift = 12;
    explicit constexpr currency(std::uint16_t value) noexcept : value_(value) {}

    std::uint16_t value_ = 0;
};

/// Every code in the built-in table (including "XXX"), in ascending order.
[[nodiscard]] SHOPCORE_EXPORT std::vector<std::string> known_currency_codes();

#ifndef SWIG
/// Writes the code, e.g. "USD".
SHOPCORE_EXPORT std::ostream& operator<<(std::ostream& out, const currency& value);
#endif

}  // namespace shopcore

#ifndef SWIG
/// Hashes a currency (one integer).
template <>
struct std::hash<shopcore::currency> {
    /// Returns value.hash().
    std::size_t operator()(const shopcore::currency& value) const noexcept { return value.hash(); }
};
#endif

#endif  // SHOPCORE_CORE_CURRENCY_HPP
