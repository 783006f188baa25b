#ifndef SHOPCORE_CORE_CLOCK_HPP
#define SHOPCORE_CORE_CLOCK_HPP

/// @file Timestamps (UTC, microseconds) and the clocks that produce them. There is no global
/// clock: services take a `const clock&` that the caller owns (a fake_clock in tests).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include <shopcore/export.hpp>

namespace shopcore {

/// A point in time: signed microseconds since 1970-01-01T00:00:00Z (UTC, no leap seconds).
/// Thread safety: immutable; safe to share.
class SHOPCORE_EXPORT timestamp {
public:
    /// The Unix epoch, 1970-01-01T00:00:00Z.
    constexpr timestamp() noexcept = default;

    /// `micros` microseconds after the epoch (before it if negative).
    [[nodiscard]] static constexpr timestamp from_micros(std::int64_t micros) noexcept {
        return timestamp(micros);
    }
    /// `seconds` seconds after the epoch.
    /// @throws arithmetic_error if the value in microseconds overflows int64.
    [[nodiscard]] static timestamp from_seconds(std::int64_t seconds);

    /// Microseconds since the epoch.
    [[nodiscard]] constexpr std::int64_t micros() const noexcept { return micros_; }
    /// Whole seconds since the epoch, rounded toward negative infinity (-1 µs is second -1).
    [[nodiscard]] constexpr std::int64_t seconds() const noexcept {
        const std::int64_t q = micros_ / micros_per_second;
        return (micros_ % micros_per_second < 0) ? q - 1 : q;
    }

    /// This time moved by `delta` microseconds (negative moves back).
    /// @throws arithmetic_error on int64 overflow.
    [[nodiscard]] timestamp plus_micros(std::int64_t delta) const;
    /// This time moved by `delta` seconds (negative moves back).
    /// @throws arithmetic_error on int64 overflow.
    [[nodiscard]] timestamp plus_seconds(std::int64_t delta) const;

    /// Compares instants.
    [[nodiscard]] constexpr bool operator==(const timestamp& other) const noexcept {
        return micros_ == other.micros_;
    }
    /// Compares instants.
    [[nodiscard]] constexpr bool operator!=(const timestamp& other) const noexcept {
        return micros_ != other.micros_;
    }
    /// Earlier than.
    [[nodiscard]] constexpr bool operator<(const timestamp& other) const noexcept {
        return micros_ < other.micros_;
    }
    /// Earlier than or equal.
    [[nodiscard]] constexpr bool operator<=(const timestamp& other) const noexcept {
        return micros_ <= other.micros_;
    }
    /// Later than.
    [[nodiscard]] constexpr bool operator>(const timestamp& other) const noexcept {
        return micros_ > other.micros_;
    }
    /// Later than or equal.
    [[nodiscard]] constexpr bool operator>=(const timestamp& other) const noexcept {
        return micros_ >= other.micros_;
    }

    /// ISO 8601 in UTC with exactly six fraction digits: "2026-11-29T12:34:56.123456Z".
    /// Years outside 0000-9999 are written in the expanded form with a sign and at least five
    /// digits ("+10000-01-01T00:00:00.000000Z"), which parse_iso8601 does not accept.
    [[nodiscard]] std::string to_iso8601() const;

    /// Parses "YYYY-MM-DDTHH:MM:SSZ" or "YYYY-MM-DDTHH:MM:SS.ffffffZ" (exactly six fraction
    /// digits), UTC only: upper-case 'T' and 'Z', no offsets, no leap second, a real calendar
    /// date (proleptic Gregorian, years 0000-9999).
    /// @throws validation_error (field "timestamp") for anything else.
    [[nodiscard]] static timestamp parse_iso8601(std::string_view text);

    /// A hash consistent with ==.
    [[nodiscard]] constexpr std::size_t hash() const noexcept {
        return static_cast<std::size_t>(micros_);
    }

private:
    static constexpr std::int64_t micros_per_second = 1000000;
    explicit constexpr timestamp(std::int64_t micros) noexcept : micros_(micros) {}

    std::int64_t micros_ = 0;
};

#ifndef SWIG
/// Writes to_iso8601().
SHOPCORE_EXPORT std::ostream& operator<<(std::ostream& out, const timestamp& value);
#endif

/// A source of the current time. Services take a `const clock&` so that tests control time.
/// Implementations must be safe to call from several threads at once.
class SHOPCORE_EXPORT clock {
public:
    /// Destroys the clock.
    virtual ~clock();
    /// Clocks are not copied (a copy of a fake clock would silently stop following it).
    clock(const clock&) = delete;
    /// Clocks are not assigned.
    clock& operator=(const clock&) = delete;

    /// The current time.
    [[nodiscard]] virtual timestamp now() const = 0;

protected:
    /// For implementations.
    clock() = default;
};

/// The real UTC time of the machine (std::chrono::system_clock), in microseconds.
/// Thread safety: safe to call concurrently.
class SHOPCORE_EXPORT system_clock final : public clock {
public:
    /// The machine's clock.
    system_clock() = default;
    /// The current UTC time.
    [[nodiscard]] timestamp now() const override;
};

/// A clock that only moves when told to; for tests and simulations.
/// Thread safety: every member may be called concurrently (the time is one std::atomic).
class SHOPCORE_EXPORT fake_clock final : public clock {
public:
    /// A clock showing `start`.
    explicit fake_clock(timestamp start) noexcept;

    /// The time last set or advanced to.
    [[nodiscard]] timestamp now() const override;
    /// Shows `value` from now on (may move backwards).
    void set(timestamp value) noexcept;
    /// Moves the time by `delta` microseconds (negative moves back).
    /// @throws arithmetic_error on int64 overflow (the time is then unchanged).
    void advance_micros(std::int64_t delta);
    /// Moves the time by `delta` seconds (negative moves back).
    /// @throws arithmetic_error on int64 overflow (the time is then unchanged).
    void advance_seconds(std::int64_t delta);

private:
    std::atomic<std::int64_t> micros_;
};

}  // namespace shopcore

#ifndef SWIG
/// Hashes a timestamp.
template <>
struct std::hash<shopcore::timestamp> {
    /// Returns value.hash().
    std::size_t operator()(const shopcore::timestamp& value) const noexcept { return value.hash(); }
};
#endif

#endif  // SHOPCORE_CORE_CLOCK_HPP
