#ifndef SHOPCORE_CORE_QUANTITY_HPP
#define SHOPCORE_CORE_QUANTITY_HPP

/// @file A count of units (cart lines, stock levels).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

#include <shopcore/export.hpp>

namespace shopcore {

/// A non-negative count of units (int64).
/// Thread safety: immutable; safe to share.
class SHOPCORE_EXPORT quantity {
public:
    /// Zero units.
    constexpr quantity() noexcept = default;

    /// `units` units.
    /// @throws validation_error (field "quantity") if units < 0.
    [[nodiscard]] static quantity of(std::int64_t units);

    /// The count (>= 0).
    [[nodiscard]] constexpr std::int64_t value() const noexcept { return value_; }
    /// Whether the count is at least one.
    [[nodiscard]] constexpr bool is_positive() const noexcept { return value_ > 0; }

    /// Sum. @throws arithmetic_error on int64 overflow.
    [[nodiscard]] quantity operator+(const quantity& other) const;
    /// Difference. @throws arithmetic_error if `other` is larger (a count cannot go negative).
    [[nodiscard]] quantity operator-(const quantity& other) const;
    /// Adds in place. @throws arithmetic_error as operator+; *this is unchanged on error.
    quantity& operator+=(const quantity& other) { return *this = *this + other; }
    /// Subtracts in place. @throws arithmetic_error as operator-; *this is unchanged on error.
    quantity& operator-=(const quantity& other) { return *this = *this - other; }

    /// Compares counts.
    [[nodiscard]] constexpr bool operator==(const quantity& other) const noexcept {
        return value_ == other.value_;
    }
    /// Compares counts.
    [[nodiscard]] constexpr bool operator!=(const quantity& other) const noexcept {
        return value_ != other.value_;
    }
    /// Compares counts.
    [[nodiscard]] constexpr bool operator<(const quantity& other) const noexcept {
        return value_ < other.value_;
    }
    /// Compares counts.
    [[nodiscard]] constexpr bool operator<=(const quantity& other) const noexcept {
        return value_ <= other.value_;
    }
    /// Compares counts.
    [[nodiscard]] constexpr bool operator>(const quantity& other) const noexcept {
        return value_ > other.value_;
    }
    /// Compares counts.
    [[nodiscard]] constexpr bool operator>=(const quantity& other) const noexcept {
        return value_ >= other.value_;
    }

    /// The count as decimal text, e.g. "3".
    [[nodiscard]] std::string to_string() const;

    /// A hash consistent with ==.
    [[nodiscard]] constexpr std::size_t hash() const noexcept {
        return static_cast<std::size_t>(value_);
    }

private:
    explicit constexpr quantity(std::int64_t units) noexcept : value_(units) {}

    std::int64_t value_ = 0;
};

#ifndef SWIG
/// Writes the count, e.g. "3".
SHOPCORE_EXPORT std::ostream& operator<<(std::ostream& out, const quantity& value);
#endif

}  // namespace shopcore

#ifndef SWIG
/// Hashes a quantity.
template <>
struct std::hash<shopcore::quantity> {
    /// Returns value.hash().
    std::size_t operator()(const shopcore::quantity& value) const noexcept { return value.hash(); }
};
#endif

#endif  // SHOPCORE_CORE_QUANTITY_HPP
