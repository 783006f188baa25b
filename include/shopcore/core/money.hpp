#ifndef SHOPCORE_CORE_MONEY_HPP
#define SHOPCORE_CORE_MONEY_HPP

/// @file Exact money: a signed 64-bit count of minor units of one ISO 4217 currency.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <shopcore/core/currency.hpp>
#include <shopcore/core/ratio.hpp>
#include <shopcore/core/rounding.hpp>
#include <shopcore/export.hpp>

namespace shopcore {

#ifndef SWIG
namespace detail {
/// Throws arithmetic_error naming the operation and both currencies. Out of line so that the
/// inline operators stay small.
[[noreturn]] SHOPCORE_EXPORT void throw_currency_mismatch(const char* operation,
                                                          const currency& left,
                                                          const currency& right);
/// Throws arithmetic_error for an amount outside the int64 range of minor units.
[[noreturn]] SHOPCORE_EXPORT void throw_money_overflow(const char* operation);
}  // namespace detail
#endif

/// An exact amount of money: a signed 64-bit count of minor units (cents for USD, yen for JPY,
/// fils for BHD) and the currency. No floating point is involved anywhere.
///
/// Arithmetic is checked: overflow of the int64 range and mixing two currencies throw
/// arithmetic_error; nothing wraps or silently converts. Equality (== and !=) compares amount
/// and currency and never throws; ordering (<, <=, >, >=) throws on mixed currencies.
/// Thread safety: immutable; safe to share.
class SHOPCORE_EXPORT money {
public:
    /// Zero of no currency ("XXX").
    constexpr money() noexcept = default;

    /// `minor` minor units of `currency` (of_minor(1999, USD) is 19.99 USD).
    [[nodiscard]] static constexpr money of_minor(std::int64_t minor,
                                                  const shopcore::currency& currency) noexcept {
        return money(minor, currency);
    }

    /// Zero in `currency`.
    [[nodiscard]] static constexpr money zero(const shopcore::currency& currency) noexcept {
        return money(0, currency);
    }

    /// Parses decimal text exactly, independent of any locale.
    ///
    /// Grammar: optional '-', one or more digits, then optionally '.' and one or more digits.
    /// The fraction may have more digits than the currency's exponent only if the extra digits
    /// are zeros ("19.990" USD is 19.99; "19.999" USD is rejected, never rounded). Fewer digits
    /// are padded ("19.9" USD is 19.90). Leading zeros are allowed; "-0" is zero.
    /// Rejected: empty text, '+', ".5", "5.", spaces, grouping ("1,000"), exponents, a
    /// currency code or symbol, and values outside the int64 range of minor units.
    /// @throws validation_error (field "amount") for any rejected text.
    [[nodiscard]] static money parse(std::string_view text, const shopcore::currency& currency);

    /// The signed count of minor units.
    [[nodiscard]] constexpr std::int64_t minor_units() const noexcept { return minor_; }
    /// The currency.
    [[nodiscard]] constexpr shopcore::currency currency() const noexcept { return currency_; }

    /// Decimal text with exactly exponent() fraction digits, a leading '-' when negative and
    /// no grouping: "1234.50", "-0.05", "1234" (JPY), "1.234" (BHD). parse() reads it back.
    [[nodiscard]] std::string format() const;
    /// format() followed by a space and the code: "1234.50 USD".
    [[nodiscard]] std::string to_string() const;

    /// Whether the amount is zero.
    [[nodiscard]] constexpr bool is_zero() const noexcept { return minor_ == 0; }
    /// Whether the amount is below zero.
    [[nodiscard]] constexpr bool is_negative() const noexcept { return minor_ < 0; }
    /// Whether the amount is above zero.
    [[nodiscard]] constexpr bool is_positive() const noexcept { return minor_ > 0; }

    /// Sum. @throws arithmetic_error on mixed currencies or int64 overflow.
    [[nodiscard]] money operator+(const money& other) const {
        require_same_currency(other, "add");
        std::int64_t result = 0;
        if (__builtin_add_overflow(minor_, other.minor_, &result)) {
            detail::throw_money_overflow("addition");
        }
        return money(result, currency_);
    }
    /// Difference. @throws arithmetic_error on mixed currencies or int64 overflow.
    [[nodiscard]] money operator-(const money& other) const {
        require_same_currency(other, "subtract");
        std::int64_t result = 0;
        if (__builtin_sub_overflow(minor_, other.minor_, &result)) {
            detail::throw_money_overflow("subtraction");
        }
        return money(result, currency_);
    }
    /// Negation. @throws arithmetic_error for the most negative amount (INT64_MIN minor units).
    [[nodiscard]] money operator-() const {
        std::int64_t result = 0;
        if (__builtin_sub_overflow(std::int64_t{0}, minor_, &result)) {
            detail::throw_money_overflow("negation");
        }
        return money(result, currency_);
    }
    /// Adds in place. @throws arithmetic_error as operator+; *this is unchanged on error.
    money& operator+=(const money& other) { return *this = *this + other; }
    /// Subtracts in place. @throws arithmetic_error as operator-; *this is unchanged on error.
    money& operator-=(const money& other) { return *this = *this - other; }
    /// Multiplies by a whole factor (a quantity). @throws arithmetic_error on int64 overflow.
    [[nodiscard]] money operator*(std::int64_t factor) const {
        std::int64_t result = 0;
        if (__builtin_mul_overflow(minor_, factor, &result)) {
            detail::throw_money_overflow("multiplication");
        }
        return money(result, currency_);
    }

    /// Same amount and same currency. Never throws (different currencies are simply unequal).
    [[nodiscard]] constexpr bool operator==(const money& other) const noexcept {
        return minor_ == other.minor_ && currency_ == other.currency_;
    }
    /// Negation of ==. Never throws.
    [[nodiscard]] constexpr bool operator!=(const money& other) const noexcept {
        return !(*this == other);
    }
    /// Ordering of amounts. @throws arithmetic_error on mixed currencies.
    [[nodiscard]] bool operator<(const money& other) const {
        require_same_currency(other, "compare");
        return minor_ < other.minor_;
    }
    /// Ordering of amounts. @throws arithmetic_error on mixed currencies.
    [[nodiscard]] bool operator<=(const money& other) const {
        require_same_currency(other, "compare");
        return minor_ <= other.minor_;
    }
    /// Ordering of amounts. @throws arithmetic_error on mixed currencies.
    [[nodiscard]] bool operator>(const money& other) const {
        require_same_currency(other, "compare");
        return minor_ > other.minor_;
    }
    /// Ordering of amounts. @throws arithmetic_error on mixed currencies.
    [[nodiscard]] bool operator>=(const money& other) const {
        require_same_currency(other, "compare");
        return minor_ >= other.minor_;
    }

    /// The exact product amount * rate, rounded once to a whole minor unit with `mode`.
    /// Intermediates are 128-bit and checked, so no step can overflow silently.
    /// Example: 0.05 USD * 0.5 = 0.025 -> half_up 0.03, half_even 0.02, down 0.02, up 0.03.
    /// @throws arithmetic_error if the rounded result is outside the int64 range.
    [[nodiscard]] money multiply(const ratio& rate, rounding mode = rounding::half_up) const;

    /// Splits the amount in proportion to `weights` by the largest-remainder method.
    ///
    /// Part i is first floor(|amount| * w_i / W) (W = sum of weights; exact 128-bit
    /// arithmetic); the minor units left over (fewer than the number of parts) then go one each
    /// to the parts with the largest fractional remainders, ties to the lower index.
    /// Guarantees: the parts sum exactly to the amount; every part has the amount's sign (or
    /// is zero) and is at most the amount in magnitude; a zero weight gets exactly zero; the
    /// result depends only on the inputs. A negative amount is split as the mirror image of
    /// its absolute value. Example: 0.05 split 70/30 is 0.04 and 0.01.
    /// @returns one part per weight, in the order of `weights`, all in this currency.
    /// @throws validation_error (field "weights") if `weights` is empty, has a negative
    ///         weight, or sums to zero.
    /// Complexity: O(n log n) for n weights.
    [[nodiscard]] std::vector<money> allocate(const std::vector<std::int64_t>& weights) const;

    /// Splits the amount into `parts` parts as equal as possible: the first
    /// |amount| mod parts parts get one more minor unit (8.00 over 3: 2.67, 2.67, 2.66).
    /// @throws validation_error (field "parts") if parts == 0.
    [[nodiscard]] std::vector<money> allocate_evenly(std::size_t parts) const;

    /// A hash consistent with ==.
    [[nodiscard]] constexpr std::size_t hash() const noexcept {
        return static_cast<std::size_t>(static_cast<std::uint64_t>(minor_) *
                                        0x9E3779B97F4A7C15ULL) ^
               currency_.hash();
    }

private:
    constexpr money(std::int64_t minor, const shopcore::currency& currency) noexcept
        : minor_(minor), currency_(currency) {}

    void require_same_currency(const money& other, const char* operation) const {
        if (currency_ != other.currency_) {
            detail::throw_currency_mismatch(operation, currency_, other.currency_);
        }
    }

    std::int64_t minor_ = 0;
    shopcore::currency currency_;
};

#ifndef SWIG
/// Writes to_string(), e.g. "19.99 USD".
SHOPCORE_EXPORT std::ostream& operator<<(std::ostream& out, const money& value);
#endif

}  // namespace shopcore

#ifndef SWIG
/// Hashes money (amount and currency).
template <>
struct std::hash<shopcore::money> {
    /// Returns value.hash().
    std::size_t operator()(const shopcore::money& value) const noexcept { return value.hash(); }
};
#endif

#endif  // SHOPCORE_CORE_MONEY_HPP
