#ifndef SHOPCORE_CORE_RATIO_HPP
#define SHOPCORE_CORE_RATIO_HPP

/// @file Exact rational numbers for rates: percentages, tax rates, shares.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include <shopcore/export.hpp>

namespace shopcore {

/// An exact rational number numerator/denominator, always in lowest terms with a positive
/// denominator, so that equal values have equal representations.
///
/// Used for rates (a 19.75 % tax rate is ratio::parse("19.75%") == 79/400); never a double.
/// Thread safety: immutable; safe to share.
class SHOPCORE_EXPORT ratio {
public:
    /// Zero (0/1).
    constexpr ratio() noexcept = default;

    /// numerator/denominator reduced to lowest terms; a negative denominator moves its sign to
    /// the numerator (of(1, -4) == of(-1, 4)).
    /// @throws validation_error (field "ratio") if denominator == 0, or if the reduced value
    ///         cannot be held (only of(INT64_MIN, -1) and similar, whose negation overflows).
    [[nodiscard]] static ratio of(std::int64_t numerator, std::int64_t denominator);

    /// Parses an exact decimal, a percentage, or a fraction. Accepted forms:
    /// - decimal: optional '-', one or more digits, then optionally '.' and one or more digits
    ///   ("1", "0.125", "-0.5", "007.50"); ".5", "5.", "+1", "1e3", " 1" are rejected;
    /// - percentage: a decimal followed by '%' ("12.5%" == "0.125", "12%", "100%");
    /// - fraction: optional '-', digits, '/', digits ("1/3", "-7/8"; both parts must fit int64,
    ///   the denominator must not be zero). This is the form to_string() uses for values that
    ///   have no short decimal, so parse(r.to_string()) == r for every ratio r.
    /// A decimal or percentage may have at most 18 significant digits (leading zeros and
    /// trailing fraction zeros do not count) and at most 18 digits of scale after removing
    /// trailing fraction zeros (a percentage adds 2 to the scale).
    /// @throws validation_error (field "ratio") for anything else: empty text, junk, whitespace,
    ///         several dots, exponents, grouping, too many digits.
    [[nodiscard]] static ratio parse(std::string_view text);

    /// whole_percent / 100, e.g. percent(15) == 3/20.
    [[nodiscard]] static ratio percent(std::int64_t whole_percent);

    /// The numerator of the reduced form (carries the sign).
    [[nodiscard]] constexpr std::int64_t numerator() const noexcept { return numerator_; }
    /// The denominator of the reduced form; always > 0.
    [[nodiscard]] constexpr std::int64_t denominator() const noexcept { return denominator_; }

    /// Exact text: a decimal ("0.125", "-3", "0.1975") when the value has one that parse()
    /// accepts (the reduced denominator has no prime factors but 2 and 5, and at most 18
    /// significant digits), otherwise "numerator/denominator" ("1/3").
    [[nodiscard]] std::string to_string() const;

    /// Exact equality (the form is canonical, so this compares the two fields).
    [[nodiscard]] constexpr bool operator==(const ratio& other) const noexcept {
        return numerator_ == other.numerator_ && denominator_ == other.denominator_;
    }
    /// Exact inequality.
    [[nodiscard]] constexpr bool operator!=(const ratio& other) const noexcept {
        return !(*this == other);
    }
    /// Exact ordering by 128-bit cross multiplication (never overflows).
    [[nodiscard]] bool operator<(const ratio& other) const noexcept;
    /// Exact ordering.
    [[nodiscard]] bool operator<=(const ratio& other) const noexcept { return !(other < *this); }
    /// Exact ordering.
    [[nodiscard]] bool operator>(const ratio& other) const noexcept { return other < *this; }
    /// Exact ordering.
    [[nodiscard]] bool operator>=(const ratio& other) const noexcept { return !(*this < other); }

    /// A hash consistent with ==.
    [[nodiscard]] std::size_t hash() const noexcept;

private:
    constexpr ratio(std::int64_t numerator, std::int64_t denominator) noexcept
        : numerator_(numerator), denominator_(denominator) {}

    std::int64_t numerator_ = 0;
    std::int64_t denominator_ = 1;
};

#ifndef SWIG
/// Writes to_string().
SHOPCORE_EXPORT std::ostream& operator<<(std::ostream& out, const ratio& value);
#endif

}  // namespace shopcore

#ifndef SWIG
/// Hashes a ratio.
template <>
struct std::hash<shopcore::ratio> {
    /// Returns value.hash().
    std::size_t operator()(const shopcore::ratio& value) const noexcept { return value.hash(); }
};
#endif

#endif  // SHOPCORE_CORE_RATIO_HPP
