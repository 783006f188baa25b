#ifndef SHOPCORE_CORE_WEIGHT_HPP
#define SHOPCORE_CORE_WEIGHT_HPP

/// @file Shipping weight in whole grams.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

#include <shopcore/export.hpp>

namespace shopcore {

/// A non-negative weight in whole grams (int64). Used by shipping rules and cart lines.
/// Thread safety: immutable; safe to share.
class SHOPCORE_EXPORT weight {
public:
    /// Zero grams.
    constexpr weight() noexcept = default;

    /// `grams` grams.
    /// @throws validation_error (field "weight") if grams < 0.
    [[nodiscard]] static weight of_grams(std::int64_t grams);

    /// The weight in grams (>= 0).
    [[nodiscard]] constexpr std::int64_t grams() const noexcept { return grams_; }

    /// Sum. @throws arithmetic_error on int64 overflow.
    [[nodiscard]] weight operator+(const weight& other) const;
    /// Adds in place. @throws arithmetic_error on int64 overflow; *this is unchanged on error.
    weight& operator+=(const weight& other) { return *this = *this + other; }
    /// Scales by a count (a line's quantity).
    /// @throws validation_error (field "factor") if factor < 0;
    ///         arithmetic_error on int64 overflow.
    [[nodiscard]] weight operator*(std::int64_t factor) const;

    /// Compares grams.
    [[nodiscard]] constexpr bool operator==(const weight& other) const noexcept {
        return grams_ == other.grams_;
    }
    /// Compares grams.
    [[nodiscard]] constexpr bool operator!=(const weight& other) const noexcept {
        return grams_ != other.grams_;
    }
    /// Compares grams.
    [[nodiscard]] constexpr bool operator<(const weight& other) const noexcept {
        return grams_ < other.grams_;
    }
    /// Compares grams.
    [[nodiscard]] constexpr bool operator<=(const weight& other) const noexcept {
        return grams_ <= other.grams_;
    }
    /// Compares grams.
    [[nodiscard]] constexpr bool operator>(const weight& other) const noexcept {
        return grams_ > other.grams_;
    }
    /// Compares grams.
    [[nodiscard]] constexpr bool operator>=(const weight& other) const noexcept {
        return grams_ >= other.grams_;
    }

    /// "1250 g".
    [[nodiscard]] std::string to_string() const;

    /// A hash consistent with ==.
    [[nodiscard]] constexpr std::size_t hash() const noexcept {
        return static_cast<std::size_t>(grams_);
    }

private:
    explicit constexpr weight(std::int64_t grams) noexcept : grams_(grams) {}

    std::int64_t grams_ = 0;
};

#ifndef SWIG
/// Writes to_string(), e.g. "1250 g".
SHOPCORE_EXPORT std::ostream& operator<<(std::ostream& out, const weight& value);
#endif

}  // namespace shopcore

#ifndef SWIG
/// Hashes a weight.
template <>
struct std::hash<shopcore::weight> {
    /// Returns value.hash().
    std::size_t operator()(const shopcore::weight& value) const noexcept { return value.hash(); }
};
#endif

#endif  // SHOPCORE_CORE_WEIGHT_HPP
