#include <shopcore/core/clock.hpp>

#include <chrono>
#include <cstdio>
#include <ostream>

#include <shopcore/core/error.hpp>

namespace shopcore {
namespace {

constexpr std::int64_t micros_per_second = 1'000'000;
constexpr std::int64_t micros_per_day = 86'400 * micros_per_second;

struct civil_date {
    std::int64_t year;
    std::int64_t month;  // 1-12
    std::int64_t day;    // 1-31
};

// Floor division for a positive divisor.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
    const std::int64_t q = a / b;
    return (a % b < 0) ? q - 1 : q;
}

// Days since 1970-01-01 of a proleptic Gregorian date. Counts in 400-year eras of 146097 days,
// with years starting on March 1st so that the leap day is the last day of a year.
constexpr std::int64_t days_from_civil(const civil_date& date) noexcept {
    const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
    const std::int64_t era = floor_div(y, 400);
    const std::int64_t year_of_era = y - era * 400;               // [0, 399]
    const std::int64_t month_from_march = (date.month + 9) % 12;  // March = 0
    const std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + date.day - 1;
    const std::int64_t day_of_era =
        year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146097 + day_of_era - 719468;  // 719468 = days from 0000-03-01 to 1970-01-01
}

// Inverse of days_from_civil.
constexpr civil_date civil_from_days(std::int64_t days) noexcept {
    const std::int64_t shifted = days + 719468;
    const std::int64_t era = floor_div(shifted, 146097);
    const std::int64_t day_of_era = shifted - era * 146097;  // [0, 146096]
    const std::int64_t year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
    const std::int64_t day_of_year =
        day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;
    const std::int64_t day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    const std::int64_t month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
    return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

static_assert(days_from_civil({1970, 1, 1}) == 0);
static_assert(days_from_civil({2000, 3, 1}) == 11017);
static_assert(civil_from_days(11017).year == 2000 && civil_from_days(11017).month == 3);

constexpr bool is_leap(std::int64_t year) noexcept {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

constexpr std::int64_t days_in_month(std::int64_t year, std::int64_t month) noexcept {
    constexpr std::int64_t days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

[[noreturn]] void fail_parse(std::string_view text) {
    throw validation_error("timestamp", "invalid timestamp '" + std::string(text) +
                                            "' (expected e.g. 2026-11-29T12:34:56.123456Z)");
}

std::int64_t checked_add(std::int64_t a, std::int64_t b, const char* what) {
    std::int64_t result = 0;
    if (__builtin_add_overflow(a, b, &result)) {
        throw arithmetic_error(std::string(what) + " overflows the timestamp range");
    }
    return result;
}

std::int64_t seconds_to_micros(std::int64_t seconds) {
    std::int64_t result = 0;
    if (__builtin_mul_overflow(seconds, micros_per_second, &result)) {
        throw arithmetic_error("seconds overflow the timestamp range");
    }
    return result;
}

}  // namespace

timestamp timestamp::from_seconds(std::int64_t seconds) {
    return timestamp(seconds_to_micros(seconds));
}

timestamp timestamp::plus_micros(std::int64_t delta) const {
    return timestamp(checked_add(micros_, delta, "adding microseconds"));
}

timestamp timestamp::plus_seconds(std::int64_t delta) const {
    return timestamp(checked_add(micros_, seconds_to_micros(delta), "adding seconds"));
}

std::string timestamp::to_iso8601() const {
    const std::int64_t days = floor_div(micros_, micros_per_day);
    std::int64_t in_day = micros_ % micros_per_day;  // days * micros_per_day may overflow
    if (in_day < 0) {
        in_day += micros_per_day;  // now in [0, micros_per_day)
    }
    const civil_date date = civil_from_days(days);
    const std::int64_t second_of_day = in_day / micros_per_second;
    const std::int64_t fraction = in_day % micros_per_second;
    char buffer[64];
    const char* const year_format =
        (date.year >= 0 && date.year <= 9999) ? "%04lld" : (date.year < 0 ? "%06lld" : "+%05lld");
    int n = std::snprintf(buffer, sizeof buffer, year_format, static_cast<long long>(date.year));
    n += std::snprintf(
        buffer + n, sizeof buffer - static_cast<std::size_t>(n),
        "-%02lld-%02lldT%02lld:%02lld:%02lld.%06lldZ", static_cast<long long>(date.month),
        static_cast<long long>(date.day), static_cast<long long>(second_of_day / 3600),
        static_cast<long long>(second_of_day / 60 % 60), static_cast<long long>(second_of_day % 60),
        static_cast<long long>(fraction));
    return std::string(buffer, static_cast<std::size_t>(n));
}

timestamp timestamp::parse_iso8601(std::string_view text) {
    // Positions in "YYYY-MM-DDTHH:MM:SS.ffffffZ".
    if (text.size() != 20 && text.size() != 27) {
        fail_parse(text);
    }
    const auto number = [text](std::size_t pos, std::size_t len) {
        std::int64_t value = 0;
        for (std::size_t i = pos; i < pos + len; ++i) {
            const char c = text[i];
            if (c < '0' || c > '9') {
                fail_parse(text);
            }
            value = value * 10 + (c - '0');
        }
        return value;
    };
    const auto expect = [text](std::size_t pos, char c) {
        if (text[pos] != c) {
            fail_parse(text);
        }
    };
    expect(4, '-');
    expect(7, '-');
    expect(10, 'T');
    expect(13, ':');
    expect(16, ':');
    expect(text.size() - 1, 'Z');
    std::int64_t fraction = 0;
    if (text.size() == 27) {
        expect(19, '.');
        fraction = number(20, 6);
    }
    const civil_date date{number(0, 4), number(5, 2), number(8, 2)};
    const std::int64_t hour = number(11, 2);
    const std::int64_t minute = number(14, 2);
    const std::int64_t second = number(17, 2);
    if (date.month < 1 || date.month > 12 || date.day < 1 ||
        date.day > days_in_month(date.year, date.month) || hour > 23 || minute > 59 ||
        second > 59) {
        fail_parse(text);
    }
    const std::int64_t seconds =
        days_from_civil(date) * 86'400 + hour * 3600 + minute * 60 + second;
    return timestamp(seconds * micros_per_second + fraction);
}

std::ostream& operator<<(std::ostream& out, const timestamp& value) {
    return out << value.to_iso8601();
}

clock::~clock() = default;

timestamp system_clock::now() const {
    const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
    return timestamp::from_micros(
        std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count());
}

fake_clock::fake_clock(timestamp start) noexcept : micros_(start.micros()) {}

timestamp fake_clock::now() const { return timestamp::from_micros(micros_.load()); }

void fake_clock::set(timestamp value) noexcept { micros_.store(value.micros()); }

void fake_clock::advance_micros(std::int64_t delta) {
    std::int64_t current = micros_.load();
    std::int64_t next = 0;
    do {
        next = checked_add(current, delta, "advancing the fake clock");
    } while (!micros_.compare_exchange_weak(current, next));
}

void fake_clock::advance_seconds(std::int64_t delta) { advance_micros(seconds_to_micros(delta)); }

}  // namespace shopcore
